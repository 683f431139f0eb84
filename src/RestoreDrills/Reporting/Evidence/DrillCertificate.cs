using System.Globalization;
using System.Net;
using System.Text;

namespace RestoreDrills.Reporting.Evidence;

/// <summary>
/// The drill certificate: one self-contained HTML page, printed to PDF by headless Chromium, that an auditor files per
/// run. It names the run, what ran (versions, image digests, the cluster when live), and per drill the target, the base
/// backup, RTO and RPO against their objectives, checks passed, the verdict and the trend; at the foot, the digest of
/// the evidence manifest it seals.
/// </summary>
public static class DrillCertificate
{
    /// <summary>What one certificate shows. <paramref name="Drills"/>: this run's evidence with each drill's trend chart (SVG).</summary>
    public sealed record Run(string RunId, DateTimeOffset At, IReadOnlyDictionary<string, string> Environment,
        IReadOnlyList<(DrillEvidence Evidence, string TrendSvg)> Drills, string EvidenceDigest);

    /// <summary>The environment entries a certificate names: what ran, not the runner's paths.</summary>
    private static bool Shown(string key) =>
        key.StartsWith("postgres.", StringComparison.Ordinal) || key.StartsWith("barman-cloud", StringComparison.Ordinal)
        || key.StartsWith("cnpg.", StringComparison.Ordinal) || key.EndsWith(".image", StringComparison.Ordinal)
        || key is "platform" or "objectstore" or "runner.host" or "seed.rows";

    public static string Html(Run run)
    {
        var passed = run.Drills.Count(d => d.Evidence.Passed);
        var ran = run.Drills.Where(d => d.Evidence.Ran).ToList();
        var notRun = run.Drills.Where(d => !d.Evidence.Ran).Select(d => d.Evidence).ToList();
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Restore drill certificate ")
            .Append(E(run.RunId)).Append("</title><style>").Append(Style).Append("</style></head><body>");
        html.Append("<h1>Restore drill certificate</h1>");
        html.Append(CultureInfo.InvariantCulture, $"<p class=\"run\">Run <b>{E(run.RunId)}</b>, {run.At.ToUniversalTime():yyyy-MM-dd HH:mm} UTC. ")
            .Append(CultureInfo.InvariantCulture, $"<span class=\"{(passed == ran.Count && passed > 0 ? "passed" : "failed")}\">{passed} of {ran.Count} drills passed</span>")
            .Append(notRun.Count == 0 ? "." : $"; {notRun.Count} not run (listed below).").Append("</p>");
        html.Append("<table class=\"env\">");
        foreach (var (key, value) in run.Environment.Where(e => Shown(e.Key)).OrderBy(e => e.Key, StringComparer.Ordinal))
            html.Append("<tr><th>").Append(E(key)).Append("</th><td>").Append(E(value)).Append("</td></tr>");
        html.Append("</table>");
        html.Append("<table class=\"drills\"><thead><tr><th>Drill</th><th>Target / base backup</th><th>RTO / objective</th><th>RPO / objective</th>")
            .Append("<th>Checks</th><th>Verdict</th><th>Trend</th></tr></thead><tbody>");
        foreach (var (evidence, svg) in ran.OrderBy(d => d.Evidence.DrillId, StringComparer.Ordinal))
            Row(html, evidence, svg);
        html.Append("</tbody></table>");
        // Drills that did not run are named with the reason, one line per reason: absent, they would read as never planned.
        foreach (var reason in notRun.GroupBy(e => e.Message ?? "no reason given").OrderBy(g => g.Key, StringComparer.Ordinal))
            html.Append("<p class=\"not-run\">Not run: <b>").Append(E(string.Join(", ", reason.Select(e => e.DrillId).Order(StringComparer.Ordinal))))
                .Append("</b>: ").Append(E(reason.Key)).Append("</p>");
        html.Append("<p class=\"seal\">Evidence digest (SHA-256 of the manifest's evidence lines): <code>").Append(E(run.EvidenceDigest))
            .Append("</code><br>Check: <code>sha256sum -c artifacts/evidence-manifest.sha256</code>, then ")
            .Append("<code>grep -v drill-certificate artifacts/evidence-manifest.sha256 | sha256sum</code> prints this digest.</p>");
        html.Append("</body></html>");
        return html.ToString();
    }

    private static void Row(StringBuilder html, DrillEvidence evidence, string svg)
    {
        var f = evidence.Figures;
        html.Append("<tr class=\"drill\" data-drill=\"").Append(E(evidence.DrillId)).Append("\">");
        html.Append("<td><b>").Append(E(evidence.DrillId)).Append("</b><br><small>").Append(E(evidence.Title)).Append("</small></td>");
        html.Append("<td>").Append(E(f?.Target ?? "-")).Append("<br><small>").Append(E(f?.BackupId ?? "-")).Append("</small></td>");
        html.Append("<td>").Append(Measure(f?.RtoSeconds, f?.RtoObjectiveSeconds)).Append("</td>");
        html.Append("<td>").Append(Measure(f?.RpoSeconds, f?.RpoObjectiveSeconds)).Append("</td>");
        html.Append("<td>").Append(f is null ? "-" : $"{f.ChecksPassed}/{f.ChecksTotal}").Append("</td>");
        html.Append("<td class=\"").Append(evidence.Passed ? "passed" : "failed").Append("\">").Append(E(evidence.Verdict.ToUpperInvariant())).Append("</td>");
        html.Append("<td class=\"trend\">").Append(svg).Append("</td></tr>");
    }

    private static string Measure(double? seconds, double? objective) =>
        seconds is null ? "not measured"
            : string.Create(CultureInfo.InvariantCulture, $"{seconds:0.0} s / {(objective is null ? "none" : $"{objective:0} s")}");

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private const string Style = """
        @page { size: A4 landscape; margin: 10mm; }
        body { font: 10px sans-serif; color: #212121; margin: 0; }
        h1 { font-size: 18px; margin: 0 0 4px; }
        p.run { font-size: 12px; margin: 0 0 6px; }
        table { border-collapse: collapse; width: 100%; }
        table.env { width: auto; margin-bottom: 6px; }
        table.env th, table.env td { text-align: left; padding: 0 8px 0 0; font-size: 9px; }
        table.drills th, table.drills td { border-top: 1px solid #e0e0e0; padding: 2px 4px; text-align: left; vertical-align: top; }
        tr.drill { break-inside: avoid; }
        td.trend svg { width: 240px; height: 64px; display: block; }
        .passed { color: #2e7d32; font-weight: bold; }
        .failed { color: #b71c1c; font-weight: bold; }
        p.seal { margin-top: 6px; font-size: 9px; }
        p.not-run { margin: 4px 0 0; font-size: 9px; color: #616161; }
        """;
}
