namespace RestoreDrills.Reporting.Evidence;

/// <summary>
/// What a drill measured against its objectives, as the certificate and the trend show it: the target and base backup
/// restored, RTO and RPO with their objectives (null where the drill cannot measure one, e.g. the RPO of a store drilled
/// without its source), and how many checks passed.
/// </summary>
public sealed record DrillFigures(
    string Target,
    string BackupId,
    double RtoSeconds,
    double RtoObjectiveSeconds,
    double? RpoSeconds,
    double? RpoObjectiveSeconds,
    int ChecksPassed,
    int ChecksTotal);
