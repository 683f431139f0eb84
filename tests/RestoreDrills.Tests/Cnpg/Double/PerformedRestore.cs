namespace RestoreDrills.Tests.Cnpg.Double;

/// <summary>
/// A restore the double had performed for real (e.g. on the containers platform): where the restored server
/// answers, its log for the full-recovery pod, and what to dispose when the Cluster is deleted.
/// </summary>
public sealed record PerformedRestore(string Host, int Port, string Database, string Username, string Password, string Log, IAsyncDisposable Server);
