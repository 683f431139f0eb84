using System.Text.Json;
using System.Text.RegularExpressions;

namespace RestoreDrills.Tests.Support;

/// <summary>
/// Opens a page in headless Chromium (Debian's package) as a person would, and returns the text it renders
/// and the requests the PAGE made (from Chromium's net log). Chromium's own background requests are routed
/// to a dead loopback proxy and never resolved, so nothing leaves the machine either way.
/// </summary>
public static partial class HeadlessChromium
{
    /// <summary>The Chromium the certificate is printed with (<see cref="ChromiumPdf"/>).</summary>
    public static string? Executable => ChromiumPdf.Executable;

    public sealed record Page(string Text, IReadOnlyList<string> PageRequests);

    public static async Task<Page> OpenAsync(string url, TimeSpan budget)
    {
        var profile = Directory.CreateTempSubdirectory("restoredrills-chromium-");
        var netLog = Path.Combine(profile.FullName, "netlog.json");
        try
        {
            var run = await BoundedRun.RunAsync(Executable ?? throw new InvalidOperationException("no Chromium"), ChromiumPdf.IsolationFlags.Concat(
                [
                    $"--user-data-dir={profile.FullName}", $"--log-net-log={netLog}",
                    $"--virtual-time-budget={(int)budget.TotalMilliseconds}", "--dump-dom", url,
                ]), TimeSpan.FromSeconds(90));
            return new Page(VisibleText(run.Stdout), PageRequests(netLog));
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }

    /// <summary>The body's text, without scripts and styles, whitespace folded.</summary>
    private static string VisibleText(string html)
    {
        var body = html[Math.Max(0, html.IndexOf("<body", StringComparison.Ordinal))..];
        body = Scripts().Replace(body, " ");
        body = Tags().Replace(body, " ");
        return Spaces().Replace(System.Net.WebUtility.HtmlDecode(body), " ").Trim();
    }

    /// <summary>URLs the page asked for: requests Chromium itself starts are marked "not an origin".</summary>
    private static List<string> PageRequests(string netLogPath)
    {
        using var log = JsonDocument.Parse(File.ReadAllText(netLogPath));
        var types = log.RootElement.GetProperty("constants").GetProperty("logEventTypes");
        var startJob = types.GetProperty("URL_REQUEST_START_JOB").GetInt32();
        return log.RootElement.GetProperty("events").EnumerateArray()
            .Where(e => e.GetProperty("type").GetInt32() == startJob && e.TryGetProperty("params", out var p) && p.TryGetProperty("url", out _))
            .Select(e => e.GetProperty("params"))
            .Where(p => !(p.TryGetProperty("initiator", out var i) && i.GetString() == "not an origin"))
            .Select(p => p.GetProperty("url").GetString()!)
            .ToList();
    }

    [GeneratedRegex(@"<(script|style)[\s\S]*?</\1>")] private static partial Regex Scripts();
    [GeneratedRegex("<[^>]+>")] private static partial Regex Tags();
    [GeneratedRegex(@"\s+")] private static partial Regex Spaces();
}
