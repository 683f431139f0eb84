using System.Diagnostics;

namespace RestoreDrills.Reporting.Evidence;

/// <summary>
/// Prints a local HTML file to PDF with headless Chromium (Debian's package here; the one a CI runner has). The page
/// is self-contained; Chromium's own background requests go to a dead loopback proxy, so nothing leaves the machine.
/// </summary>
public static class ChromiumPdf
{
    /// <summary>RESTOREDRILLS_CHROMIUM, else the usual install paths, else null.</summary>
    public static string? Executable =>
        new[] { Configuration.SettingsTable.Chromium.FromEnvironment(), "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }
            .FirstOrDefault(p => !string.IsNullOrEmpty(p) && File.Exists(p));

    /// <summary>
    /// Headless, no sandbox (root here, user namespaces restricted on runners), and no outside traffic: Chromium's own
    /// background requests go to a dead loopback proxy and no host name resolves.
    /// </summary>
    public static readonly IReadOnlyList<string> IsolationFlags =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-pings",
        "--proxy-server=http://127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND",
    ];

    public static async Task PrintAsync(string htmlFile, string pdfFile, TimeSpan timeout, CancellationToken ct)
    {
        var chromium = Executable ?? throw new InvalidOperationException(
            "no Chromium found for the drill certificate: install it (Debian: chromium) or set RESTOREDRILLS_CHROMIUM to its path");
        var profile = Directory.CreateTempSubdirectory("restoredrills-certificate-");
        try
        {
            File.Delete(pdfFile);
            var start = new ProcessStartInfo(chromium) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in IsolationFlags.Concat(
                     [
                         $"--user-data-dir={profile.FullName}", "--no-pdf-header-footer", "--print-to-pdf-no-header",
                         $"--print-to-pdf={Path.GetFullPath(pdfFile)}", new Uri(Path.GetFullPath(htmlFile)).AbsoluteUri,
                     ]))
                start.ArgumentList.Add(arg);
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync(ct);
            _ = process.StandardOutput.ReadToEndAsync(ct);
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
            limit.CancelAfter(timeout);
            try
            {
                await process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                if (ct.IsCancellationRequested) throw;
                throw new TimeoutException($"Chromium did not print the certificate within {timeout.TotalSeconds:0} s (RESTOREDRILLS_TIMEOUT_CERTIFICATE_SECONDS)");
            }
            if (!File.Exists(pdfFile) || new FileInfo(pdfFile).Length == 0)
                throw new InvalidOperationException($"Chromium exited {process.ExitCode} without writing {pdfFile}: {Tail(await stderr)}");
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }

    private static string Tail(string text) => string.Join(" | ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(3));
}
