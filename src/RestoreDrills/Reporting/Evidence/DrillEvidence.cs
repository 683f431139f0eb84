using System.Text.Json;
using System.Text.Json.Serialization;
using RestoreDrills.Secrets;

namespace RestoreDrills.Reporting.Evidence;

/// <summary>
/// One drill in one run, as the evidence keeps it: one line of the trend history (drill-trend.jsonl), the
/// drill-evidence.json attachment of its result, and one row of the certificate. <see cref="Figures"/> is null when the
/// drill ended before it measured anything (broken, skipped, failed before the restore); <see cref="Message"/> is the first
/// line of the result's message (why it failed or did not run), null for a drill that passed.
/// </summary>
public sealed record DrillEvidence(string RunId, DateTimeOffset At, string DrillId, string Title, string Verdict, DrillFigures? Figures, string? Message = null)
{
    public const string Skipped = "skipped";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    [JsonIgnore] public bool Passed => Verdict == "passed";
    [JsonIgnore] public bool Ran => Verdict != Skipped;

    /// <summary>A result's message as the evidence keeps it: its first line, at most 240 characters, masked.</summary>
    public static string? Summary(string? message)
    {
        if (string.IsNullOrWhiteSpace(message)) return null;
        var line = message.Trim().Split('\n')[0].TrimEnd();
        return SecretMasker.Apply(line.Length > 240 ? line[..240] + "…" : line);
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static DrillEvidence FromJson(string json) =>
        JsonSerializer.Deserialize<DrillEvidence>(json, Json) is { DrillId.Length: > 0 } evidence
            ? evidence
            : throw new FormatException("not a drill's evidence: no drillId");
}
