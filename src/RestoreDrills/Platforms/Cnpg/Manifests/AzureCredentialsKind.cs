namespace RestoreDrills.Platforms.Cnpg.Manifests;

/// <summary>Which Azure credentials the object store's secret holds (the three forms the runbook uses).</summary>
public enum AzureCredentialsKind { ConnectionString, StorageKey, SasToken }
