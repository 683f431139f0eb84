using System.Text.Json;
using RestoreDrills.Secrets;

namespace RestoreDrills.Reporting.Evidence;

/// <summary>
/// Every drill's evidence, run after run, one JSON line each (artifacts/history/drill-trend.jsonl by default, carried
/// from night to night by the pipelines with Allure's own history). Appends are serialised: drills may end at once.
/// A line that does not parse (a file cut short by a killed run) is skipped, never fatal: the trend is evidence about
/// past runs, and tonight's drill must still be judged.
/// </summary>
public sealed class DrillTrendHistory(string path)
{
    private static readonly Lock Appending = new();

    public string Path { get; } = path;

    public void Append(DrillEvidence evidence)
    {
        lock (Appending)
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!);
            File.AppendAllText(Path, SecretMasker.Apply(evidence.ToJson()) + "\n");
        }
    }

    /// <summary>The drill's newest <paramref name="runs"/> entries, oldest first (one per run: a run's last entry wins).</summary>
    public IReadOnlyList<DrillEvidence> Last(string drillId, int runs)
    {
        if (runs < 1) throw new ArgumentOutOfRangeException(nameof(runs), "a trend needs at least one run");
        return Read().Where(e => e.DrillId == drillId)
            .GroupBy(e => e.RunId).Select(g => g.Last())
            .OrderBy(e => e.At).TakeLast(runs).ToList();
    }

    public IEnumerable<DrillEvidence> Read()
    {
        if (!File.Exists(Path)) yield break;
        foreach (var line in File.ReadLines(Path))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            DrillEvidence? evidence;
            try
            {
                evidence = DrillEvidence.FromJson(line);
            }
            catch (Exception e) when (e is JsonException or FormatException)
            {
                evidence = null;
            }
            if (evidence is not null) yield return evidence;
        }
    }
}
