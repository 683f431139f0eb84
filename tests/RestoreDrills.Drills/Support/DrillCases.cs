using NUnit.Framework;
using RestoreDrills.Reporting;

namespace RestoreDrills.Drills;

/// <summary>Test cases named after a catalog's drills (id and title) and described by what each proves, as the report shows them.</summary>
public static class DrillCases
{
    public static IEnumerable<TestCaseData> Of(IEnumerable<DrillDefinition> drills, Func<DrillDefinition, object?> argument) =>
        drills.Select(d => new TestCaseData(argument(d)).SetName($"{d.Id} {d.Title}").SetDescription(d.Proves));

    public static IEnumerable<TestCaseData> Of(IEnumerable<DrillDefinition> drills) => Of(drills, d => d);
}
