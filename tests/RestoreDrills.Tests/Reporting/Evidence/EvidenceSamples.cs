namespace RestoreDrills.Tests.Reporting.Evidence;

/// <summary>Drill evidence as drills write it, for the evidence tests.</summary>
public static class EvidenceSamples
{
    public static DrillEvidence Run(string runId, int day, string drillId = "DR-PITR-TIME", double rto = 30, double? rpo = 1.5, string verdict = "passed") =>
        new(runId, new DateTimeOffset(2026, 11, day, 2, 0, 0, TimeSpan.Zero), drillId, "Point-in-time restore to a timestamp", verdict,
            new DrillFigures("time=2026-11-01 01:59:00.000000+00", "20261101T015500", rto, 300, rpo, rpo is null ? null : 60, 14, 14));
}
