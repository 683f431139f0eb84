namespace RestoreDrills.Verification;

/// <summary>
/// The settings that make a drill's source a fair test of production: a source that may lose committed transactions
/// or tear pages (fsync, full_page_writes, synchronous_commit off) or cannot show a corrupt page (no data checksums)
/// would prove nothing about the backups of one that runs safely.
/// </summary>
public static class SourceDurability
{
    public static readonly IReadOnlyDictionary<string, string> Required = new Dictionary<string, string>
    {
        ["fsync"] = "on", ["full_page_writes"] = "on", ["synchronous_commit"] = "on", ["data_checksums"] = "on",
    };

    /// <summary>Each required setting the source does not have, as "name = value (needs on)"; empty when all hold.</summary>
    public static IReadOnlyList<string> Problems(IReadOnlyDictionary<string, string> settings) =>
        Required.Where(r => settings.GetValueOrDefault(r.Key) != r.Value)
            .Select(r => $"{r.Key} = {settings.GetValueOrDefault(r.Key) ?? "unknown"} (needs {r.Value})").ToList();
}
