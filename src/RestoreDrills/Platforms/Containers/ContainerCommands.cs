using DotNet.Testcontainers.Containers;
using RestoreDrills.Reporting;

namespace RestoreDrills.Platforms.Containers;

/// <summary>Runs a command inside a container and fails with its (masked) output when it exits non-zero.</summary>
public static class ContainerCommands
{
    public static async Task<ExecResult> RunAsync(IContainer container, IList<string> command, string what, CancellationToken ct)
    {
        var result = await container.ExecAsync(command, ct);
        if (result.ExitCode != 0)
            throw new ContainerCommandException(what, result);
        return result;
    }

    /// <summary>Runs a shell script (bash -c) with the given environment variables visible only to it.</summary>
    public static Task<ExecResult> ShellAsync(IContainer container, string script, string what, CancellationToken ct) =>
        RunAsync(container, ["bash", "-euo", "pipefail", "-c", script], what, ct);
}

public sealed class ContainerCommandException(string what, ExecResult result)
    : Exception(SecretMasker.Apply($"{what} failed (exit {result.ExitCode}): {LastLines(result.Stderr + result.Stdout, 12)}"))
{
    public long ExitCode { get; } = result.ExitCode ?? -1;
    public string Output { get; } = SecretMasker.Apply(result.Stderr + result.Stdout);

    private static string LastLines(string text, int count) =>
        string.Join(" | ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(count));
}
