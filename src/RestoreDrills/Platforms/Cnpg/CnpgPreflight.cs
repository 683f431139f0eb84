using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RestoreDrills.Failures;
using RestoreDrills.Platforms.Cnpg.Manifests;
using RestoreDrills.Verification;

namespace RestoreDrills.Platforms.Cnpg;

/// <summary>
/// What must hold of the production source before a drill means anything, each a check of its own in the report:
/// healthy, archiving WAL, its nightly ScheduledBackup on time, and a completed backup within retention.
/// </summary>
public static partial class CnpgPreflight
{
    public static async Task<IReadOnlyList<PreflightCheck>> RunAsync(CnpgApi api, CnpgSettings settings, DateTimeOffset now, CancellationToken ct)
    {
        var cluster = await api.GetAsync(CnpgResources.Clusters, settings.SourceCluster, ct)
                      ?? throw new CnpgSetupException($"source cluster '{settings.SourceCluster}' not found in namespace '{api.Namespace}' (RESTOREDRILLS_CNPG_SOURCE_CLUSTER)");
        CnpgClusterFacts.Record(cluster, api.Namespace);
        var checks = new List<PreflightCheck> { SourceHealthy(cluster), ContinuousArchiving(cluster) };
        if (settings.ScheduledBackup.Length > 0)
        {
            var scheduled = await api.GetAsync(CnpgResources.ScheduledBackups, settings.ScheduledBackup, ct);
            checks.Add(ScheduledBackupOnTime(scheduled, settings.ScheduledBackup, settings.ScheduleGrace, now));
        }
        var backups = await api.ListAsync(CnpgResources.Backups, null, ct);
        checks.Add(NewestBackupWithinRetention(backups, settings.SourceCluster, Retention(cluster, settings.BackupRetention), now));
        return checks;
    }

    /// <summary>The schedule's check, as the report names it when it is not made.</summary>
    public const string ScheduledBackupCheck = "the nightly ScheduledBackup ran within its period";

    public static PreflightCheck SourceHealthy(JsonObject cluster)
    {
        const string name = "source cluster healthy (Ready, phase \"Cluster in healthy state\")";
        var status = ClusterStatus.From(cluster);
        var detail = $"phase \"{status.Phase}\", {status.Describe(ClusterStatus.Ready)}, {status.ReadyInstances}/{status.Instances} instances ready";
        return new(status.IsReady ? CheckResult.Pass(CheckKind.Backup, name, detail) : CheckResult.Fail(CheckKind.Backup, name, detail), null);
    }

    public static PreflightCheck ContinuousArchiving(JsonObject cluster)
    {
        const string name = "source archives WAL (ContinuousArchiving true)";
        var status = ClusterStatus.From(cluster);
        var detail = status.Describe(ClusterStatus.ContinuousArchiving);
        return new(status.ConditionTrue(ClusterStatus.ContinuousArchiving) ? CheckResult.Pass(CheckKind.Wal, name, detail) : CheckResult.Fail(CheckKind.Wal, name, detail),
            FailureCause.WalArchivingFailed);
    }

    /// <summary>
    /// On time: the run due after the last one is not overdue by more than the grace. The schedule is read as the
    /// operator reads it (<see cref="CnpgSchedule"/>: 5 or 6 fields, seconds first, descriptors), in UTC; one it cannot
    /// read falls back to the operator's own status.nextScheduleTime.
    /// </summary>
    public static PreflightCheck ScheduledBackupOnTime(JsonObject? scheduled, string name, TimeSpan grace, DateTimeOffset now)
    {
        var check = $"ScheduledBackup {name} ran within its period (+ {grace.TotalMinutes:0} min grace)";
        if (scheduled is null) return new(CheckResult.Fail(CheckKind.Backup, check, "not found"), null);
        var text = scheduled["spec"]?["schedule"]?.GetValue<string>() ?? "";
        var nextReported = Time(scheduled["status"]?["nextScheduleTime"]);
        var readable = CnpgSchedule.TryParse(text, out var schedule, out var error);
        if (!readable && nextReported is null)
            return new(CheckResult.Fail(CheckKind.Backup, check, $"schedule '{text}' is not one CloudNative-PG accepts: {error}"), FailureCause.BackupFailed);
        if (scheduled["spec"]?["suspend"]?.GetValue<bool>() == true)
            return new(CheckResult.Fail(CheckKind.Backup, check, $"suspended (schedule '{text}')"), FailureCause.BackupFailed);
        if (Time(scheduled["status"]?["lastScheduleTime"]) is not { } last)
            return new(CheckResult.Fail(CheckKind.Backup, check, $"never ran (schedule '{text}')"), FailureCause.BackupFailed);
        var due = (readable ? schedule.Next(last) : nextReported) ?? DateTimeOffset.MaxValue;
        var detail = $"schedule '{text}'{(readable && schedule.Note is { } note ? $" ({note})" : "")}, last run {last:yyyy-MM-dd HH:mm:ss}Z, next due {due:yyyy-MM-dd HH:mm:ss}Z" +
                     (readable ? "" : $" (status.nextScheduleTime; the schedule itself: {error})");
        return now <= due + grace
            ? new(CheckResult.Pass(CheckKind.Backup, check, detail), FailureCause.BackupFailed)
            : new(CheckResult.Fail(CheckKind.Backup, check, $"{detail}: overdue by {(now - due).TotalHours:0.0} h"), FailureCause.BackupFailed);
    }

    private static DateTimeOffset? Time(JsonNode? node) =>
        node?.GetValue<string>() is { } text ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal) : null;

    public static PreflightCheck NewestBackupWithinRetention(IEnumerable<JsonObject> backups, string sourceCluster, TimeSpan retention, DateTimeOffset now)
    {
        var check = $"newest completed backup of {sourceCluster} within retention ({retention.TotalDays:0.#} d)";
        var newest = backups.Select(BackupStatus.From)
            .Where(b => b.ClusterName == sourceCluster && b.IsCompleted && b.StoppedAt is not null)
            .MaxBy(b => b.StoppedAt);
        if (newest is null) return new(CheckResult.Fail(CheckKind.Backup, check, "no completed backup"), FailureCause.BackupFailed);
        var age = now - newest.StoppedAt!.Value;
        var detail = $"{newest.Name} (backupId {newest.BackupId}) ended {newest.StoppedAt:yyyy-MM-dd HH:mm:ss}Z, {age.TotalHours:0.0} h ago";
        return age <= retention
            ? new(CheckResult.Pass(CheckKind.Backup, check, detail), FailureCause.BackupFailed)
            : new(CheckResult.Fail(CheckKind.Backup, check, detail), FailureCause.BackupFailed);
    }

    /// <summary>The source's retentionPolicy ("30d", "4w", "3m") when it has one, else the setting.</summary>
    public static TimeSpan Retention(JsonObject cluster, TimeSpan fallback)
    {
        var policy = cluster["spec"]?["backup"]?["retentionPolicy"]?.GetValue<string>();
        var match = policy is null ? Match.Empty : RetentionPolicy().Match(policy);
        if (!match.Success) return fallback;
        var n = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch { "d" => TimeSpan.FromDays(n), "w" => TimeSpan.FromDays(7 * n), _ => TimeSpan.FromDays(30 * n) };
    }

    [GeneratedRegex("^([0-9]+)([dwm])$")]
    private static partial Regex RetentionPolicy();
}
