using System.Text.Json;

namespace RestoreDrills.Reporting.Evidence;

/// <summary>
/// After the report is built: the drill certificate and the evidence manifest, in the order that lets each seal the
/// other. (1) The manifest's evidence lines: every result, attachment and report file. (2) Their digest is printed on
/// the certificate, rendered to PDF. (3) The certificate's files join the manifest. An auditor runs
/// <c>sha256sum -c</c> on the manifest, and finds the certificate's digest again from the manifest's other lines.
/// </summary>
public static class EvidencePackage
{
    public const string ManifestFile = "evidence-manifest.sha256";
    public const string CertificatePdf = "drill-certificate.pdf";
    public const string CertificateHtml = "drill-certificate.html";

    /// <summary>What was written, and the two digests the console and the certificate show.</summary>
    public sealed record Written(string Manifest, string ManifestSha256, string EvidenceDigest, string CertificatePdf, int Drills);

    /// <param name="artifacts">Where the certificate and manifest go.</param>
    /// <param name="checkedFrom">The folder the manifest's paths are relative to (where an auditor runs sha256sum -c).</param>
    /// <param name="alsoListed">Further evidence the manifest lists (the settings file the objectives came from).</param>
    public static async Task<Written> BuildAsync(string artifacts, string results, string report, string checkedFrom, IReadOnlyList<string> alsoListed,
        TimeSpan printTimeout, CancellationToken ct)
    {
        var drills = ReadDrills(results);
        if (drills.Count == 0)
            throw new InvalidOperationException($"no drill evidence in {results} (no result with {DrillEvidenceWriter.EvidenceAttachment}): did the drills run?");
        var evidence = Files(results).Concat(Files(report)).Concat(alsoListed).ToList();
        var evidenceLines = EvidenceManifest.Lines(checkedFrom, evidence);
        var digest = EvidenceManifest.TextSha256(evidenceLines);

        var environment = ReadEnvironment(Path.Combine(results, "environment.properties"));
        var runId = environment.GetValueOrDefault("run.id") ?? drills.Select(d => d.Evidence.RunId).Distinct().Single();
        var html = Path.Combine(artifacts, CertificateHtml);
        var pdf = Path.Combine(artifacts, CertificatePdf);
        await File.WriteAllTextAsync(html, DrillCertificate.Html(new DrillCertificate.Run(runId, drills.Max(d => d.Evidence.At), environment, drills, digest)), ct);
        await ChromiumPdf.PrintAsync(html, pdf, printTimeout, ct);

        var manifest = Path.Combine(artifacts, ManifestFile);
        var lines = EvidenceManifest.Lines(checkedFrom, evidence.Append(html).Append(pdf));
        await File.WriteAllTextAsync(manifest, lines, ct);
        return new Written(manifest, EvidenceManifest.FileSha256(manifest), digest, pdf, drills.Count);
    }

    private static IEnumerable<string> Files(string directory) =>
        Directory.Exists(directory) ? Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories) : [];

    /// <summary>Every drill result's evidence and trend chart, read back from the results as the report shows them.</summary>
    public static List<(DrillEvidence Evidence, string TrendSvg)> ReadDrills(string results)
    {
        var drills = new List<(DrillEvidence, string)>();
        foreach (var file in Directory.EnumerateFiles(results, "*-result.json"))
        {
            using var result = JsonDocument.Parse(File.ReadAllText(file));
            if (!result.RootElement.TryGetProperty("attachments", out var attachments)) continue;
            string? Source(string name) => attachments.EnumerateArray()
                .Where(a => a.GetProperty("name").GetString() == name).Select(a => a.GetProperty("source").GetString()).FirstOrDefault();
            if (Source(DrillEvidenceWriter.EvidenceAttachment) is not { } evidence) continue;
            var trend = Source(DrillEvidenceWriter.TrendAttachment);
            drills.Add((DrillEvidence.FromJson(File.ReadAllText(Path.Combine(results, evidence))),
                trend is null ? "" : File.ReadAllText(Path.Combine(results, trend))));
        }
        return drills;
    }

    /// <summary>environment.properties (Java properties as Allure writes them: key=value, backslash escapes).</summary>
    public static Dictionary<string, string> ReadEnvironment(string path)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(path)) return environment;
        foreach (var line in File.ReadLines(path))
        {
            if (line.Length == 0 || line[0] is '#' or '!') continue;
            var split = SplitAt(line);
            if (split < 0) continue;
            environment[Unescape(line[..split])] = Unescape(line[(split + 1)..]);
        }
        return environment;
    }

    private static int SplitAt(string line)
    {
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '\\') { i++; continue; }
            if (line[i] is '=' or ':') return i;
        }
        return -1;
    }

    private static string Unescape(string text) =>
        System.Text.RegularExpressions.Regex.Replace(text.Trim(), @"\\(.)", m => m.Groups[1].Value switch { "n" => "\n", "t" => "\t", var c => c });
}
