namespace RestoreDrills.Platforms.Containers;

/// <summary>
/// Labels on every container and network a drill run starts. Ryuk cannot run here, so these are what the
/// sweep finds leftovers by: the run that owns a resource, and the process that started it (dead = leftover).
/// </summary>
public static class ResourceLabels
{
    public const string Project = "org.restoredrills";
    public const string Run = "org.restoredrills.run";
    public const string OwnerPid = "org.restoredrills.pid";

    public static IReadOnlyDictionary<string, string> For(string runId) => new Dictionary<string, string>
    {
        [Project] = "true",
        [Run] = runId,
        [OwnerPid] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
