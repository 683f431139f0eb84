using System.Collections.Concurrent;

namespace RestoreDrills.Reporting;

/// <summary>
/// Facts about what ran, learnt while the drills run (PostgreSQL and barman-cloud versions, image ids),
/// written into environment.properties at the end of the run.
/// </summary>
public static class RunFacts
{
    private static readonly ConcurrentDictionary<string, string> Facts = new();

    public static void Record(string name, string value) => Facts[name] = value;

    public static IReadOnlyDictionary<string, string> All => new Dictionary<string, string>(Facts);
}
