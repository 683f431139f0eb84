// The namespaces most test files use, once for the project (as ImplicitUsings does for System): a file's own usings
// name only what is particular to it.
global using System.Text.Json.Nodes;
global using NUnit.Framework;
global using RestoreDrills.Backups;
global using RestoreDrills.Configuration;
global using RestoreDrills.Drills;
global using RestoreDrills.Failures;
global using RestoreDrills.Inventory;
global using RestoreDrills.KubernetesDouble;
global using RestoreDrills.Platforms.Cnpg.Manifests;
global using RestoreDrills.Platforms.Cnpg;
global using RestoreDrills.Platforms.Containers;
global using RestoreDrills.RecoveryTargets;
global using RestoreDrills.Reporting.Allure;
global using RestoreDrills.Reporting.Evidence;
global using RestoreDrills.Reporting;
global using RestoreDrills.Secrets;
global using RestoreDrills.Seeding;
global using RestoreDrills.Tests.Cnpg.Double;
global using RestoreDrills.Tests.Support;
global using RestoreDrills.Verification;
