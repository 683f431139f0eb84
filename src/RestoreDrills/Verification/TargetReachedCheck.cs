using System.Text.RegularExpressions;
using RestoreDrills.Backups;
using RestoreDrills.RecoveryTargets;

namespace RestoreDrills.Verification;

/// <summary>
/// A restore to a fixed target must have stopped at that target, not where WAL ran out. PostgreSQL says so in one
/// line when it reaches a target ("recovery stopping after commit of transaction 750, time …", "… at restore point
/// "x" …", "… after WAL location (LSN) "0/5000110"", "… after reaching consistency"); a replay that ran out of WAL
/// first has no such line. For an LSN target the replay's end (the promoted timeline's fork point) must also lie at
/// or past the target. Latest has no target to stop at: <see cref="ArchiveEndCheck"/> covers it.
/// </summary>
public static partial class TargetReachedCheck
{
    public const string Name = "recovery stopped at its target, not where WAL ran out";

    public static CheckResult Evaluate(RecoveryTarget target, ReplayEnd? end, string recoveryLog)
    {
        if (target.Kind == RecoveryTargetKind.Latest)
            throw new ArgumentException("a restore to latest has no target to stop at: use ArchiveEndCheck", nameof(target));
        var stop = RecoveryStopping().Matches(recoveryLog).Select(m => m.Value.Trim()).LastOrDefault();
        var where = end is null ? "" : $"; replay ended at {end}";
        if (stop is null)
            return CheckResult.Fail(CheckKind.Wal, Name,
                $"PostgreSQL logged no 'recovery stopping' line for target {target}: replay ended without reaching it{where}");
        var mismatch = Mismatch(target, stop, end);
        return mismatch is null
            ? CheckResult.Pass(CheckKind.Wal, Name, $"PostgreSQL: {stop}{where}")
            : CheckResult.Fail(CheckKind.Wal, Name, $"recovery stopped elsewhere than target {target}: {mismatch}; PostgreSQL: {stop}{where}");
    }

    /// <summary>Why the stop line does not name the target, or null when it does.</summary>
    private static string? Mismatch(RecoveryTarget target, string stop, ReplayEnd? end)
    {
        switch (target.Kind)
        {
            case RecoveryTargetKind.Immediate:
                return stop.Contains("reaching consistency", StringComparison.Ordinal) ? null : "a restore to immediate stops on reaching consistency";
            case RecoveryTargetKind.Time:
                return stop.Contains("commit of transaction", StringComparison.Ordinal) || stop.Contains("abort of transaction", StringComparison.Ordinal)
                    ? null : "a restore to a time stops at a transaction's commit or abort";
            case RecoveryTargetKind.Xid:
                var xid = Transaction().Match(stop);
                return xid.Success && xid.Groups[1].Value == target.Value ? null
                    : $"transaction {(xid.Success ? xid.Groups[1].Value : "(none named)")} is not the target's {target.Value}";
            case RecoveryTargetKind.Name:
                return stop.Contains($"at restore point \"{target.Value}\"", StringComparison.Ordinal) ? null : $"not at restore point \"{target.Value}\"";
            case RecoveryTargetKind.Lsn:
                var goal = WalPosition.Parse(target.Value);
                var named = Location().Match(stop);
                if (!named.Success || WalPosition.Parse(named.Groups[1].Value) != goal)
                    return $"not at WAL location {goal}";
                return end is null || end.Position >= goal ? null : $"replay ended at {end.Position}, before the target {goal}";
            default:
                throw new ArgumentOutOfRangeException(nameof(target), target.Kind.ToString());
        }
    }

    [GeneratedRegex(@"recovery stopping (?:before|after|at) [^\n]*")]
    private static partial Regex RecoveryStopping();

    [GeneratedRegex(@"of transaction (\d+)")]
    private static partial Regex Transaction();

    [GeneratedRegex(@"WAL location \(LSN\) ""([0-9A-Fa-f]+/[0-9A-Fa-f]+)""")]
    private static partial Regex Location();
}
