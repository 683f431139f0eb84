using RestoreDrills.Reporting.Allure;
using RestoreDrills.Secrets;

namespace RestoreDrills.Reporting;

/// <summary>Turns a finished drill (its definition, journal and verdict) into one Allure result.</summary>
public static class DrillResultBuilder
{
    public static AllureResult Build(DrillDefinition drill, DrillJournal journal, AllureStatus status, string? message, string? trace,
        DateTimeOffset start, DateTimeOffset stop, string host, AllureAttachment? first = null, AllureAttachment? last = null)
    {
        // fullName carries no run-specific value, so history and trends follow the drill across runs.
        var fullName = $"{drill.Package}.{drill.Id}";
        IReadOnlyList<AllureParameter> parameters =
            [new AllureParameter("targetKind", drill.Kind?.ToString().ToLowerInvariant() ?? "recorded"), .. journal.Parameters];
        return new AllureResult
        {
            Uuid = Guid.NewGuid().ToString(),
            HistoryId = AllureResultsWriter.HistoryId(fullName, parameters),
            TestCaseId = AllureResultsWriter.Md5(fullName),
            FullName = fullName,
            Name = $"{drill.Id}: {drill.Title}",
            Description = drill.Proves,
            Status = status,
            StatusDetails = message is null && trace is null ? null : new AllureStatusDetails(Mask(message), Mask(trace)),
            Start = AllureResultsWriter.EpochMs(start),
            Stop = AllureResultsWriter.EpochMs(stop),
            Labels =
            [
                new("parentSuite", "RestoreDrills"), new("suite", drill.Suite), new("subSuite", drill.Feature),
                new("epic", "Restore verification"), new("feature", drill.Feature), new("story", drill.Title),
                new("severity", "critical"), new("tag", drill.Id), new("AS_ID", drill.Id), new("host", host),
                new("framework", "nunit"), new("language", "csharp"), new("package", drill.Package),
            ],
            Parameters = parameters,
            Attachments = [.. first is null ? [] : new[] { first }, .. journal.Attachments, .. last is null ? [] : new[] { last }],
            Steps = journal.Steps,
        };
    }

    private static string? Mask(string? text) => text is null ? null : SecretMasker.Apply(text);
}
