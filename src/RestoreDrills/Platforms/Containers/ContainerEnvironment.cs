using System.Diagnostics;

namespace RestoreDrills.Platforms.Containers;

/// <summary>
/// Testcontainers defaults that make plain `dotnet test` work on a machine like the CI's, each applied only
/// where the environment has not set it already (a developer's machine with Ryuk and a newer engine keeps
/// its own). Must run before the first Testcontainers call: its settings are read once.
/// </summary>
public static class ContainerEnvironment
{
    /// <summary>
    /// Testcontainers' own log of every exec would bury the drill's progress lines, so it is off unless
    /// RESTOREDRILLS_TESTCONTAINERS_LOG=true (for debugging the platform).
    /// </summary>
    public static Microsoft.Extensions.Logging.ILogger Logger =>
        Configuration.SettingsTable.TestcontainersLog.FromEnvironment() == "true"
            ? DotNet.Testcontainers.ConsoleLogger.Instance
            : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    public static void ApplyDefaults()
    {
        // Ryuk's image cannot be pulled where no registry is reachable; cleanup is ours (ResourceSweeper).
        SetIfMissing("TESTCONTAINERS_RYUK_DISABLED", "true");
        // Inside a container (/.dockerenv) Testcontainers would pick the bridge gateway; ports are published on loopback.
        SetIfMissing("TESTCONTAINERS_HOST_OVERRIDE", "127.0.0.1");
        // Readiness is polled every 100 ms instead of 1 s: about a second saved per container.
        SetIfMissing("TESTCONTAINERS_WAIT_STRATEGY_INTERVAL", "00:00:00.1");
        // Testcontainers asks for API 1.44 by default; older engines (Debian's 20.10: 1.41) refuse it.
        if (Environment.GetEnvironmentVariable("DOCKER_API_VERSION") is null && EngineApiVersion() is { } version)
            Environment.SetEnvironmentVariable("DOCKER_API_VERSION", version);
    }

    private static void SetIfMissing(string name, string value)
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name)))
            Environment.SetEnvironmentVariable(name, value);
    }

    /// <summary>The engine's own API version, asked through the docker CLI when there is one.</summary>
    private static string? EngineApiVersion()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("docker", "version --format {{.Server.APIVersion}}")
            {
                RedirectStandardOutput = true, RedirectStandardError = true,
            });
            if (process is null) return null;
            var output = process.StandardOutput.ReadToEnd().Trim();
            return process.WaitForExit(Configuration.SettingsTable.DockerVersionProbe.DefaultDuration) && process.ExitCode == 0 && output.Length > 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // no docker CLI: leave Testcontainers' default
        }
    }
}
