using System.Globalization;
using System.Text;

namespace RestoreDrills.Reporting.Evidence;

/// <summary>
/// A drill's RTO and RPO over its last runs as a small plain SVG, two panels side by side (their scales differ by
/// orders of magnitude): one point per run that measured something, oldest left, this run larger and orange, the
/// objective a dashed red line. Fixed colours, so a rendering of the chart can be checked by its pixels.
/// </summary>
public static class TrendChart
{
    public const string PointColour = "#1565c0";
    public const string ThisRunColour = "#ef6c00";
    public const string ObjectiveColour = "#c62828";
    public const int Width = 360;
    public const int Height = 96;
    private const int PanelWidth = 170, PanelGap = 20, Top = 18, Bottom = 84, Left = 30, Right = 8;

    public static string Render(IReadOnlyList<DrillEvidence> runs, string thisRunId)
    {
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"sans-serif\" font-size=\"9\">");
        svg.Append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>");
        Panel(svg, 0, "RTO", runs.Select(r => (r.RunId, r.Figures?.RtoSeconds)).ToList(),
            runs.LastOrDefault(r => r.Figures is not null)?.Figures?.RtoObjectiveSeconds, thisRunId);
        Panel(svg, PanelWidth + PanelGap, "RPO", runs.Select(r => (r.RunId, r.Figures?.RpoSeconds)).ToList(),
            runs.LastOrDefault(r => r.Figures?.RpoObjectiveSeconds is not null)?.Figures?.RpoObjectiveSeconds, thisRunId);
        svg.Append("</svg>");
        return svg.ToString();
    }

    private static void Panel(StringBuilder svg, int x0, string title, List<(string RunId, double? Seconds)> runs, double? objective, string thisRunId)
    {
        var measured = runs.Where(r => r.Seconds is not null).Select(r => (r.RunId, Seconds: r.Seconds!.Value)).ToList();
        var scale = Math.Max(objective ?? 0, measured.Count == 0 ? 0 : measured.Max(r => r.Seconds)) * 1.15;
        if (scale <= 0) scale = 1;
        var plotLeft = x0 + Left;
        var plotWidth = PanelWidth - Left - Right;
        double Y(double seconds) => Bottom - seconds / scale * (Bottom - Top);

        svg.Append(Format($"<g class=\"panel\" data-metric=\"{title}\">"));
        svg.Append(Format($"<text x=\"{x0 + 2}\" y=\"10\" font-weight=\"bold\">{title} (s), last {runs.Count} run(s)</text>"));
        svg.Append(Format($"<line x1=\"{plotLeft}\" y1=\"{Bottom}\" x2=\"{plotLeft + plotWidth}\" y2=\"{Bottom}\" stroke=\"#757575\" stroke-width=\"1\"/>"));
        svg.Append(Format($"<line x1=\"{plotLeft}\" y1=\"{Top}\" x2=\"{plotLeft}\" y2=\"{Bottom}\" stroke=\"#757575\" stroke-width=\"1\"/>"));
        svg.Append(Format($"<text x=\"{plotLeft - 3}\" y=\"{Bottom}\" text-anchor=\"end\">0</text>"));
        svg.Append(Format($"<text x=\"{plotLeft - 3}\" y=\"{Top + 6}\" text-anchor=\"end\">{Number(scale)}</text>"));
        if (objective is { } o)
        {
            svg.Append(Format($"<line class=\"objective\" data-seconds=\"{Number(o)}\" x1=\"{plotLeft}\" y1=\"{Y(o):0.#}\" x2=\"{plotLeft + plotWidth}\" y2=\"{Y(o):0.#}\" stroke=\"{ObjectiveColour}\" stroke-width=\"1.5\" stroke-dasharray=\"5,3\"/>"));
            svg.Append(Format($"<text x=\"{plotLeft + plotWidth}\" y=\"{Y(o) - 2:0.#}\" text-anchor=\"end\" fill=\"{ObjectiveColour}\">objective {Number(o)}</text>"));
        }
        else
        {
            svg.Append(Format($"<text x=\"{plotLeft + 4}\" y=\"{Top + 10}\" fill=\"#757575\">no objective</text>"));
        }
        if (measured.Count == 0)
        {
            svg.Append(Format($"<text x=\"{plotLeft + 4}\" y=\"{Bottom - 6}\" fill=\"#757575\">not measured</text>"));
            svg.Append("</g>");
            return;
        }
        double X(int i) => measured.Count == 1 ? plotLeft + plotWidth / 2.0 : plotLeft + 6 + i * (plotWidth - 12.0) / (measured.Count - 1);
        if (measured.Count > 1)
            svg.Append(Format($"<polyline fill=\"none\" stroke=\"#bdbdbd\" stroke-width=\"1\" points=\"{string.Join(' ', measured.Select((r, i) => $"{X(i):0.#},{Y(r.Seconds):0.#}"))}\"/>"));
        for (var i = 0; i < measured.Count; i++)
        {
            var (runId, seconds) = measured[i];
            var current = runId == thisRunId;
            svg.Append(Format($"<circle class=\"{(current ? "run this-run" : "run")}\" data-run=\"{Escape(runId)}\" data-seconds=\"{Number(seconds)}\" cx=\"{X(i):0.#}\" cy=\"{Y(seconds):0.#}\" r=\"{(current ? 4 : 3)}\" fill=\"{(current ? ThisRunColour : PointColour)}\"><title>{Escape(runId)}: {Number(seconds)} s</title></circle>"));
        }
        svg.Append("</g>");
    }

    private static string Number(double value) => value.ToString(value >= 100 ? "0" : "0.#", CultureInfo.InvariantCulture);

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string Escape(string text) => System.Security.SecurityElement.Escape(text);
}
