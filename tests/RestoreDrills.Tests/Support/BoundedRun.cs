using System.Diagnostics;

namespace RestoreDrills.Tests.Support;

/// <summary>
/// A process a test starts and waits for, within a limit: its output read while it runs (a full pipe would stall it),
/// and killed with its children when the limit passes, which fails the test naming what ran too long.
/// </summary>
public static class BoundedRun
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr, TimeSpan Took)
    {
        /// <summary>Standard output, then standard error: what a terminal would have shown, for messages.</summary>
        public string Output => Stdout + Stderr;
    }

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
        return new Result(process.ExitCode, await output, await errors, watch.Elapsed);
    }

    /// <summary>A program and its arguments, each passed as one argument (no shell between).</summary>
    public static Task<Result> RunAsync(string program, IEnumerable<string> arguments, TimeSpan limit)
    {
        var start = new ProcessStartInfo(program);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        return RunAsync(start, limit, program);
    }
}
