using System.Diagnostics;
using System.Globalization;

namespace RestoreDrills.Platforms.Containers;

/// <summary>
/// Labels on every container and network a drill run starts. Ryuk cannot run here, so these are what the
/// sweep finds leftovers by: the run that owns a resource, and the process that started it on which host
/// (a process that is gone, or a pid now used by another process, means a killed run).
/// </summary>
public static class ResourceLabels
{
    public const string Project = "org.restoredrills";
    public const string Run = "org.restoredrills.run";
    /// <summary>The script invocation (RESTOREDRILLS_SESSION) a run belongs to, so a script sweeps only its own.</summary>
    public const string Session = "org.restoredrills.session";
    public const string Host = "org.restoredrills.host";
    public const string OwnerPid = "org.restoredrills.pid";
    public const string OwnerStart = "org.restoredrills.pid-start";

    /// <summary>This machine: its name and, on Linux, its boot id (a pid means nothing on another host or boot).</summary>
    public static string ThisHost { get; } = Environment.MachineName + "/" + BootId();

    public static IReadOnlyDictionary<string, string> For(string runId) => new Dictionary<string, string>
    {
        [Project] = "true",
        [Run] = runId,
        [Session] = Configuration.SettingsTable.Session.FromEnvironment() ?? "",
        [Host] = ThisHost,
        [OwnerPid] = Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
        [OwnerStart] = StartTicks(Process.GetCurrentProcess()),
    };

    /// <summary>
    /// When a process started, in a form every process computes alike: on Linux the kernel's own start time
    /// (/proc/&lt;pid&gt;/stat, clock ticks since boot). .NET's Process.StartTime is derived from the boot time each
    /// process estimates for itself, so two processes disagree on it by milliseconds.
    /// </summary>
    public static string StartTicks(Process process)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{process.Id}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' '); // after "pid (comm) ": state is field 3
            return "proc:" + fields[22 - 3];                            // field 22: starttime
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or IndexOutOfRangeException)
        {
            return "utc-seconds:" + (process.StartTime.ToUniversalTime().Ticks / TimeSpan.TicksPerSecond).ToString(CultureInfo.InvariantCulture);
        }
    }

    private static string BootId()
    {
        try { return File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim(); }
        catch (IOException) { return "unknown-boot"; }
        catch (UnauthorizedAccessException) { return "unknown-boot"; }
    }
}
