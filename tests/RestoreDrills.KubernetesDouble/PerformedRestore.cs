namespace RestoreDrills.KubernetesDouble;

/// <summary>
/// A restore the double had performed for real (e.g. on the containers platform): the restored server (the
/// primary pod's PostgreSQL), its log for the full-recovery pod, and what to dispose when the Cluster is deleted.
/// </summary>
public sealed record PerformedRestore(PostgresEndpoint Server, string Log, IAsyncDisposable Lifetime);
