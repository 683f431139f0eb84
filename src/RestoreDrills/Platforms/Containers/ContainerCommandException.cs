using DotNet.Testcontainers.Containers;
using RestoreDrills.Secrets;

namespace RestoreDrills.Platforms.Containers;

/// <summary>A command run in a container exited non-zero: what it was, and its output.</summary>
public sealed class ContainerCommandException(string what, ExecResult result)
    : Exception(SecretMasker.Apply($"{what} failed (exit {result.ExitCode}): {LastLines(result.Stderr + result.Stdout, 12)}"))
{
    public long ExitCode { get; } = result.ExitCode ?? -1;
    public string Output { get; } = SecretMasker.Apply(result.Stderr + result.Stdout);

    private static string LastLines(string text, int count) =>
        string.Join(" | ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(count));
}
