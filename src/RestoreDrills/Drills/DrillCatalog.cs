using RestoreDrills.RecoveryTargets;
using RestoreDrills.Reporting;

namespace RestoreDrills.Drills;

public static class DrillCatalog
{
    private const string Common =
        "Seeds `backup_test` (the runbook's five rows plus generated rows), takes a barman-cloud base backup to Azure Blob " +
        "Storage, writes marker rows before the target and inserts, updates and deletes after it, restores into a new " +
        "server with archiving off, and proves: the five canonical rows are present, every marker is restored, no change " +
        "after the target is, every row equals the source at the target, the server was promoted onto a new timeline, " +
        "and backup time, RTO, RPO and WAL archive lag are within their budgets.";

    public static readonly IReadOnlyList<DrillDefinition> RecoveryTargets =
    [
        new("DR-PITR-TIME", RecoveryTargetKind.Time, "Point-in-time restore to a timestamp",
            "A backup restores to an exact moment (recovery_target_time, server clock, explicit zone), starting from the newest backup that ended before it. " + Common),
        new("DR-PITR-LSN", RecoveryTargetKind.Lsn, "Point-in-time restore to a WAL position",
            "A backup restores to an exact WAL position (recovery_target_lsn), starting from the newest backup that ended before it. " + Common),
        new("DR-PITR-XID", RecoveryTargetKind.Xid, "Point-in-time restore to a transaction",
            "A backup restores up to and including one transaction (recovery_target_xid). " + Common),
        new("DR-PITR-NAME", RecoveryTargetKind.Name, "Restore to a named restore point",
            "A backup restores to a restore point made with pg_create_restore_point (recovery_target_name). " + Common),
        new("DR-BACKUP-IMMEDIATE", RecoveryTargetKind.Immediate, "Restore of a base backup alone",
            "A base backup restores on its own, to its end (recovery_target = 'immediate'), without later WAL. " + Common),
        new("DR-RESTORE-LATEST", RecoveryTargetKind.Latest, "Restore to the end of the archive",
            "Everything archived restores (no target); changes after the last archived WAL segment are absent, and their age is the RPO. " + Common),
    ];

    public static DrillDefinition For(RecoveryTargetKind kind) => RecoveryTargets.Single(d => d.Kind == kind);

    /// <summary>
    /// Timelines as PostgreSQL makes them: a CNPG cluster with replicas switches over on every rolling update, and a
    /// restore to latest must follow each new timeline through its history file to hold what was written on it.
    /// </summary>
    public static readonly IReadOnlyList<(DrillDefinition Drill, IReadOnlyList<Platforms.Containers.TimelineChangeKind> Changes)> AfterTimelineChanges =
    [
        (new("DR-SWITCHOVER-LATEST", RecoveryTargetKind.Latest, "Restore to the end of the archive after two switchovers",
            "The source switches over twice after its base backup, as a CNPG cluster does on rolling updates: each time a standby joins " +
            "(pg_basebackup), the primary stops, the standby is promoted (timelines 1 -> 2 -> 3) and archives on, leaving the history files and " +
            "the old timeline's .partial segment PostgreSQL writes. A row is written on each new timeline. The restore to latest must follow " +
            "both history files, read every segment the store holds (checked segment by segment against the store's inventory), hold the rows " +
            "written after each switchover and be promoted onto a timeline newer than the source's. " + Common, "Timelines"),
            [Platforms.Containers.TimelineChangeKind.Switchover, Platforms.Containers.TimelineChangeKind.Switchover]),
    ];

    /// <summary>
    /// The upgrade drills (./scripts/drill --upgrade): a backup written by one barman-cloud version, restored to the end of
    /// the archive by the next one, as Debian ships them beside PostgreSQL 15 (3.4), 17 (3.13) and 18 (3.20).
    /// </summary>
    public static readonly IReadOnlyList<(DrillDefinition Drill, int WritingMajor, int RestoringMajor)> BarmanUpgrades =
    [
        (Upgrade("3.4", "3.13", 15), 15, 17),
        (Upgrade("3.13", "3.20", 17), 17, 18),
        (Upgrade("3.4", "3.20", 15), 15, 18),
    ];

    private static DrillDefinition Upgrade(string wrote, string restores, int major) => new(
        $"DR-BARMAN-{wrote}-TO-{restores}", RecoveryTargetKind.Latest, $"barman-cloud {restores} restores what barman-cloud {wrote} wrote (PostgreSQL {major})",
        $"A base backup and WAL written by barman-cloud {wrote} (PostgreSQL {major}) are downloaded and fetched by barman-cloud {restores}, " +
        "running in a sidecar container beside the restored server as the Barman Cloud Plugin runs it, and replayed to the end of the archive. " + Common,
        "barman-cloud upgrades", Suite: "barman-cloud upgrade drills on throwaway containers");

    /// <summary>The drill of a store someone else wrote; its target is a setting (null kind: the one a drill recorded).</summary>
    public static DrillDefinition ExistingStore(RecoveryTargetKind? kind) => new("DR-STORE-EXISTING", kind,
        "Restore of an existing backup store, read-only",
        "Inspects an existing barman-cloud store with list and read rights only (base backups, WAL gaps, recoverability window), " +
        "restores the chosen base backup into a throwaway container of the matching PostgreSQL major version, and proves: the " +
        "server is promoted onto a new timeline with archiving off, the expected tables, row counts, canonical rows and predicates " +
        "hold, the rows a RestoreDrills drill recorded are restored, the newest backup is recent enough, and the RTO is within budget.",
        "Existing backup store");
}
