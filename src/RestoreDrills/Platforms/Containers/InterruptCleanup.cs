using System.Runtime.InteropServices;

namespace RestoreDrills.Platforms.Containers;

/// <summary>
/// Removes a run's containers and networks when the process is told to stop (SIGTERM from a CI runner's
/// cancel, SIGINT from Ctrl-C, SIGHUP) or exits with the run still up. A SIGKILL cannot be caught: the next
/// run's leftover sweep handles that.
/// </summary>
public static class InterruptCleanup
{
    private static readonly List<PosixSignalRegistration> Registrations = [];
    private static int _swept;

    public static void Register(string runId, Action? beforeSweep = null)
    {
        void SweepOnce()
        {
            if (Interlocked.Exchange(ref _swept, 1) == 1) return;
            beforeSweep?.Invoke();
            try { Task.Run(() => ResourceSweeper.SweepRunAsync(runId)).Wait(Configuration.SettingsTable.InterruptSweep.DefaultDuration); }
            catch (Exception) { /* the next run's leftover sweep removes what is left */ }
        }

        foreach (var signal in new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGHUP, PosixSignal.SIGQUIT })
            Registrations.Add(PosixSignalRegistration.Create(signal, _ => SweepOnce())); // the signal's default (exit) follows
        AppDomain.CurrentDomain.ProcessExit += (_, _) => SweepOnce();
    }

    /// <summary>The run ended normally and cleaned up itself: nothing to do on exit.</summary>
    public static void Completed() => Interlocked.Exchange(ref _swept, 1);
}
