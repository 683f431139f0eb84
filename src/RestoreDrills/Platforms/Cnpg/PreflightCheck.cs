using RestoreDrills.Failures;
using RestoreDrills.Verification;

namespace RestoreDrills.Platforms.Cnpg;

/// <summary>
/// One preflight check of the production source, and the cause a failed one is reported under
/// (null: the source is not in a state to drill, which is a set-up problem, not a verdict on its backups).
/// </summary>
public sealed record PreflightCheck(CheckResult Result, FailureCause? CauseIfFailed)
{
    public bool Passed => Result.Passed;
}
