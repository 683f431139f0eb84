using DotNet.Testcontainers.Containers;

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
