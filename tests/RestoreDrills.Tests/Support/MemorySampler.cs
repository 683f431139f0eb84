using System.Globalization;

namespace RestoreDrills.Tests.Support;

/// <summary>
/// The test process's memory while a long measurement runs: resident set (VmRSS) sampled every half second, the
/// highest seen per phase, and at the end the managed heap that is still live after a full collection. Tells a
/// peak RSS made of data the process holds from one made of garbage the collector had not returned yet.
/// </summary>
public sealed class MemorySampler : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;
    private readonly Dictionary<string, double> _peakByPhase = [];
    private readonly Dictionary<string, double> _committedByPhase = [];
    private readonly object _lock = new();
    private string _phase = "start";

    public MemorySampler() => _sampling = SampleAsync(_stop.Token);

    /// <summary>Names what runs from now on, for the peak's attribution.</summary>
    public void Phase(string name)
    {
        Sample();
        lock (_lock) _phase = name;
    }

    /// <summary>The phase in which the resident set was highest, and that peak in MB.</summary>
    public (string Phase, double Megabytes) Peak()
    {
        Sample();
        lock (_lock) return _peakByPhase.MaxBy(p => p.Value) is var top ? (top.Key, top.Value) : ("", 0);
    }

    /// <summary>Each phase's highest resident set, in the order the phases ran.</summary>
    public string PeaksByPhase()
    {
        lock (_lock) return string.Join(", ", _peakByPhase.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Value:0}")));
    }

    /// <summary>
    /// Each phase's most memory the garbage collector had committed (as of its latest collection): beside the RSS
    /// peaks, it tells memory the collector keeps from memory outside the managed heap.
    /// </summary>
    public string CommittedByPhase()
    {
        lock (_lock) return string.Join(", ", _committedByPhase.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Value:0}")));
    }

    /// <summary>How the collector ran: its mode and how many collections of each generation it made.</summary>
    public static string CollectorSummary() => string.Create(CultureInfo.InvariantCulture,
        $"{(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC, {System.Runtime.GCSettings.LatencyMode}, collections gen0 {GC.CollectionCount(0)} gen1 {GC.CollectionCount(1)} gen2 {GC.CollectionCount(2)}, allocated in all {GC.GetTotalAllocatedBytes() / 1048576.0:0} MB");

    /// <summary>The managed heap still live after a full, compacting collection, in MB.</summary>
    public static double LiveManagedMegabytes()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: false) / 1048576.0;
    }

    public static double ResidentMegabytes(string field = "VmRSS:")
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith(field, StringComparison.Ordinal));
        return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }

    private void Sample()
    {
        var rss = ResidentMegabytes();
        var committed = GC.GetGCMemoryInfo().TotalCommittedBytes / 1048576.0;
        lock (_lock)
        {
            _peakByPhase[_phase] = Math.Max(_peakByPhase.GetValueOrDefault(_phase), rss);
            _committedByPhase[_phase] = Math.Max(_committedByPhase.GetValueOrDefault(_phase), committed);
        }
    }

    private async Task SampleAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
        try
        {
            while (await timer.WaitForNextTickAsync(ct)) Sample();
        }
        catch (OperationCanceledException)
        {
            // disposed
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sampling;
        _stop.Dispose();
    }
}
