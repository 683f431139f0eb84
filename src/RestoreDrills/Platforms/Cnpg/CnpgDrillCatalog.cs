using RestoreDrills.Drills;
using RestoreDrills.RecoveryTargets;

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
}
