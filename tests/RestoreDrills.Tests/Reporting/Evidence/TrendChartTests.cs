using System.Xml.Linq;
using static RestoreDrills.Tests.Reporting.Evidence.EvidenceSamples;

namespace RestoreDrills.Tests.Reporting.Evidence;

/// <summary>The trend chart as markup (its rendering, as a person sees it, is checked in EvidencePackageTests).</summary>
public sealed class TrendChartTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static XElement Panel(string svg, string metric) =>
        XElement.Parse(svg).Elements(Svg + "g").Single(g => (string?)g.Attribute("data-metric") == metric);

    private static List<XElement> Points(XElement panel) => panel.Elements(Svg + "circle").ToList();

    [Test]
    public void One_point_per_run_oldest_left_this_run_marked()
    {
        var runs = new[] { Run("r1", 1, rto: 40), Run("r2", 2, rto: 20), Run("r3", 3, rto: 30) };
        var rto = Panel(TrendChart.Render(runs, "r3"), "RTO");
        var points = Points(rto);
        Assert.Multiple(() =>
        {
            Assert.That(points.Select(p => (string?)p.Attribute("data-run")), Is.EqualTo(new[] { "r1", "r2", "r3" }));
            Assert.That(points.Select(p => (double)p.Attribute("cx")!), Is.Ordered.Ascending);
            Assert.That(points.Select(p => (string?)p.Attribute("fill")), Is.EqualTo(new[] { TrendChart.PointColour, TrendChart.PointColour, TrendChart.ThisRunColour }));
            // Higher values sit higher: SVG's y grows downwards.
            Assert.That((double)points[0].Attribute("cy")!, Is.LessThan((double)points[2].Attribute("cy")!));
            Assert.That((double)points[2].Attribute("cy")!, Is.LessThan((double)points[1].Attribute("cy")!));
        });
    }

    [Test]
    public void The_objective_is_a_line_above_values_within_it()
    {
        var rto = Panel(TrendChart.Render([Run("r1", 1, rto: 30), Run("r2", 2, rto: 45)], "r2"), "RTO");
        var objective = rto.Elements(Svg + "line").Single(l => (string?)l.Attribute("class") == "objective");
        Assert.Multiple(() =>
        {
            Assert.That((string?)objective.Attribute("data-seconds"), Is.EqualTo("300"));
            Assert.That((string?)objective.Attribute("stroke"), Is.EqualTo(TrendChart.ObjectiveColour));
            Assert.That(Points(rto).Select(p => (double)p.Attribute("cy")!), Has.All.GreaterThan((double)objective.Attribute("y1")!));
        });
    }

    [Test]
    public void A_value_over_its_objective_is_drawn_above_the_line_and_inside_the_chart()
    {
        var rto = Panel(TrendChart.Render([Run("r1", 1, rto: 900)], "r1"), "RTO");
        var objectiveY = (double)rto.Elements(Svg + "line").Single(l => (string?)l.Attribute("class") == "objective").Attribute("y1")!;
        var y = (double)Points(rto).Single().Attribute("cy")!;
        Assert.That(y, Is.LessThan(objectiveY).And.GreaterThan(0));
    }

    [Test]
    public void Runs_that_measured_nothing_draw_no_point_and_a_metric_never_measured_says_so()
    {
        var broken = new DrillEvidence("r2", DateTimeOffset.UnixEpoch, "DR-PITR-TIME", "t", "broken", null);
        var svg = TrendChart.Render([Run("r1", 1, rpo: null), broken, Run("r3", 3, rpo: null)], "r3");
        Assert.Multiple(() =>
        {
            Assert.That(Points(Panel(svg, "RTO")), Has.Count.EqualTo(2));
            Assert.That(Points(Panel(svg, "RPO")), Is.Empty);
            Assert.That(Panel(svg, "RPO").Value, Does.Contain("not measured").And.Contain("no objective"));
        });
    }

    [Test]
    public void Run_ids_are_escaped()
    {
        var svg = TrendChart.Render([Run("<r&1>", 1)], "<r&1>");
        Assert.That((string?)Points(Panel(svg, "RTO")).Single().Attribute("data-run"), Is.EqualTo("<r&1>"));
    }
}
