using RestoreDrills.RecoveryTargets;
using RestoreDrills.Reporting;

namespace RestoreDrills.Platforms.Cnpg;

/// <summary>The drills of production backups on CloudNative-PG, with ids an audit trail can cite.</summary>
public static class CnpgDrillCatalog
{
    private const string Common =
        "Preflights the production source (healthy, ContinuousArchiving, nightly ScheduledBackup on time, newest backup " +
        "within retention), backs it up with an on-demand Backup (or takes the newest completed one), restores into a new " +
        "uniquely named Cluster that never archives, waits until it is ready, reaches its primary through a port-forward and " +
        "verifies it (amcheck over every relation, the expected tables and canonical rows, a new timeline, archive_mode off), " +
        "and deletes it (its PVCs follow).";

    private const string Feature = "Recovery targets";
    private const string Package = "RestoreDrills.Cnpg";
    public const string Suite = "Restore drills on CloudNative-PG";

    public static readonly IReadOnlyList<DrillDefinition> Drills =
    [
        new("CNPG-PITR-TIME", RecoveryTargetKind.Time, "CNPG point-in-time restore to a moment after the backup",
            "A production backup restores to a moment (targetTime, 2 s after the backup ended). " + Common, Feature, Package, Suite),
        new("CNPG-PITR-LSN", RecoveryTargetKind.Lsn, "CNPG point-in-time restore to a WAL position after the backup",
            "A production backup restores to a WAL position (targetLSN, the first byte of the segment after the backup's last: CNPG picks a backup whose endLSN is strictly below it). " + Common, Feature, Package, Suite),
        new("CNPG-BACKUP-IMMEDIATE", RecoveryTargetKind.Immediate, "CNPG restore of a base backup alone",
            "A production base backup restores on its own (targetImmediate with its backupID). " + Common, Feature, Package, Suite),
        new("CNPG-RESTORE-LATEST", RecoveryTargetKind.Latest, "CNPG restore to the end of the archive",
            "Everything the production cluster archived restores (no target). " + Common, Feature, Package, Suite),
    ];

    public static DrillDefinition For(RecoveryTargetKind kind) => Drills.Single(d => d.Kind == kind);

    private const string ThrowawayCommon =
        "Creates its own source Cluster (fixtures/cnpg/source, one instance, a unique name archiving under its own serverName), " +
        "seeds backup_test with the runbook's five rows and generated rows through a port-forward, takes a Backup CR, writes " +
        "marker rows before the target and inserts, updates and deletes after it, restores into a new uniquely named Cluster " +
        "that never archives, and proves row by row against the source at the target: the canonical rows and every marker " +
        "present, no change after the target, every table and the schema equal to the source's (verification engine), " +
        "amcheck over every relation, a new timeline, archive_mode off. Both clusters are deleted.";

    /// <summary>The full card on CloudNative-PG in a source of the drill's own: what runs against a staging cluster before an upgrade.</summary>
    public static readonly IReadOnlyList<DrillDefinition> ThrowawaySource =
    [
        new("CNPG-SRC-PITR-TIME", RecoveryTargetKind.Time, "CNPG point-in-time restore to a timestamp, own source",
            "A Backup restores to an exact moment (targetTime), CNPG picking the backup that stopped before it, not the one taken after. " + ThrowawayCommon, Feature, Package, Suite),
        new("CNPG-SRC-PITR-LSN", RecoveryTargetKind.Lsn, "CNPG point-in-time restore to a WAL position, own source",
            "A Backup restores to an exact WAL position (targetLSN), CNPG picking the backup whose endLSN is below it, not the one taken after. " + ThrowawayCommon, Feature, Package, Suite),
        new("CNPG-SRC-PITR-XID", RecoveryTargetKind.Xid, "CNPG point-in-time restore to a transaction, own source",
            "A Backup restores up to and including one transaction (targetXID with its backupID). " + ThrowawayCommon, Feature, Package, Suite),
        new("CNPG-SRC-PITR-NAME", RecoveryTargetKind.Name, "CNPG restore to a named restore point, own source",
            "A Backup restores to a restore point (targetName with its backupID). " + ThrowawayCommon, Feature, Package, Suite),
        new("CNPG-SRC-BACKUP-IMMEDIATE", RecoveryTargetKind.Immediate, "CNPG restore of a base backup alone, own source",
            "A Backup restores on its own (targetImmediate with its backupID): the markers written before it, nothing after. " + ThrowawayCommon, Feature, Package, Suite),
        new("CNPG-SRC-RESTORE-LATEST", RecoveryTargetKind.Latest, "CNPG restore to the end of the archive, own source",
            "Everything the source archived restores (no target), equal to the source row by row. " + ThrowawayCommon, Feature, Package, Suite),
    ];

    private const string AfterSwitchover =
        "The source has a primary and a replica, and switches over right after its Backup as on a rolling update (status.targetPrimary set " +
        "to the replica through the status subresource, as `kubectl cnpg promote` does; the operator promotes it onto timeline 2); a row is " +
        "written on the new timeline, and the restore must follow the timeline change to hold it. ";

    /// <summary>The throwaway-source drills across a timeline change: timelines as CNPG makes them on every rolling update.</summary>
    public static readonly IReadOnlyList<DrillDefinition> ThrowawaySourceAfterSwitchover =
    [
        new("CNPG-SRC-SWITCHOVER-TIME", RecoveryTargetKind.Time, "CNPG point-in-time restore across a switchover, own source",
            "A Backup taken before a switchover restores to a moment after it (targetTime). " + AfterSwitchover + ThrowawayCommon, "Timelines", Package, Suite),
        new("CNPG-SRC-SWITCHOVER-LSN", RecoveryTargetKind.Lsn, "CNPG restore to a WAL position across a switchover, own source",
            "A Backup taken before a switchover restores to a WAL position written after it (targetLSN). " + AfterSwitchover + ThrowawayCommon, "Timelines", Package, Suite),
        new("CNPG-SRC-SWITCHOVER-LATEST", RecoveryTargetKind.Latest, "CNPG restore to the end of the archive across a switchover, own source",
            "A Backup taken before a switchover restores to the end of the archive, on the new timeline. " + AfterSwitchover + ThrowawayCommon, "Timelines", Package, Suite),
    ];
}
