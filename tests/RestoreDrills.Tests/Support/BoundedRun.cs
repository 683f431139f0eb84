using System.Diagnostics;
using NUnit.Framework;

namespace RestoreDrills.Tests.Support;

/// <summary>
/// A process a test starts and waits for, within a limit: its output read while it runs (a full pipe would stall it),
/// and killed with its children when the limit passes, which fails the test naming what ran too long.
/// </summary>
public static class BoundedRun
{
    public sealed record Result(int ExitCode, string Output, TimeSpan Took);

    public static async Task<Result> RunAsync(ProcessStartInfo start, TimeSpan limit, string what)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new AssertionException($"{what} did not end within {limit}");
        }
        return new Result(process.ExitCode, await output + await errors, watch.Elapsed);
    }
}
