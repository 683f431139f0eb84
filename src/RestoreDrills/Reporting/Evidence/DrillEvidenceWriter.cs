using RestoreDrills.Reporting.Allure;

namespace RestoreDrills.Reporting.Evidence;

/// <summary>
/// At a drill's end: its evidence joins the trend history, and its result gets the trend chart (shown first, the figure
/// an auditor looks for) and the evidence as JSON (read back by the certificate).
/// </summary>
public static class DrillEvidenceWriter
{
    public const string TrendAttachment = "RTO and RPO trend";
    public const string EvidenceAttachment = "drill-evidence.json";

    /// <summary>Appends the evidence to the history; returns the attachments to put first and last in the drill's result.</summary>
    public static (AllureAttachment Trend, AllureAttachment Evidence) Write(AllureResultsWriter results, DrillTrendHistory history, int runs, DrillEvidence evidence)
    {
        history.Append(evidence);
        var chart = TrendChart.Render(history.Last(evidence.DrillId, runs), evidence.RunId);
        return (results.WriteAttachment(TrendAttachment, chart, "image/svg+xml", "svg"),
                results.WriteAttachment(EvidenceAttachment, evidence.ToJson(), "application/json", "json"));
    }
}
