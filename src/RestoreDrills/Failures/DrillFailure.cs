namespace RestoreDrills.Failures;

/// <summary>
/// The drill found a fault in what it verifies (backup, archive, restore). Reported as a failed drill with its
/// cause; any other exception is an infrastructure problem (broken), not a verdict on the backup.
/// </summary>
public sealed class DrillFailure(FailureCause cause, string message, string? evidence = null)
    : Exception(RestoreDrills.Secrets.SecretMasker.Apply(message))
{
    public FailureCause Cause { get; } = cause;

    /// <summary>Text that shows the fault (a log excerpt, a listing); attached to the report.</summary>
    public string? Evidence { get; } = evidence is null ? null : RestoreDrills.Secrets.SecretMasker.Apply(evidence);
}
