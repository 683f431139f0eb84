using System.Diagnostics;

namespace RestoreDrills;

/// <summary>
/// The one way the drills wait for something (a poll): ask, and until the answer says done, ask again every
/// <see cref="Interval"/>; past <see cref="Timeout"/> (bounded by the setting named <see cref="TimeoutSetting"/>)
/// the caller's failure is made from the last answer, which is the evidence. A question may throw to end the wait
/// at once (a failed backup, a stopped server). As Testcontainers' wait strategies: named condition, named timeout.
/// </summary>
public sealed record Poll(string Condition, TimeSpan Timeout, string TimeoutSetting, TimeSpan Interval)
{
    /// <summary>What one question answered: done (with its value), or not yet (with what was seen, for the timeout's message).</summary>
    public readonly record struct Answer<T>(bool Done, T? Value, string Seen)
    {
        public static Answer<T> Of(T value) => new(true, value, "done");
        public static Answer<T> NotYet(string seen) => new(false, default, seen);
    }

    /// <summary>"CONDITION within N s (SETTING)": the words every timeout message starts from.</summary>
    public string Bound => $"{Condition} within {Timeout.TotalSeconds:0.###} s ({TimeoutSetting})";

    /// <param name="ask">One question, given the time waited so far.</param>
    /// <param name="timedOut">The failure past the timeout, from the last answer's <see cref="Answer{T}.Seen"/>.</param>
    public Task<T> UntilAsync<T>(Func<TimeSpan, CancellationToken, Task<Answer<T>>> ask, Func<string, Exception> timedOut, CancellationToken ct) =>
        UntilAsync(ask, seen => Task.FromResult(timedOut(seen)), ct);

    /// <param name="ask">One question, given the time waited so far.</param>
    /// <param name="timedOut">The failure past the timeout, gathering its evidence (a log, a status) as it needs.</param>
    public async Task<T> UntilAsync<T>(Func<TimeSpan, CancellationToken, Task<Answer<T>>> ask, Func<string, Task<Exception>> timedOut, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var answer = await ask(watch.Elapsed, ct);
            if (answer.Done) return answer.Value!;
            if (watch.Elapsed >= Timeout) throw await timedOut(answer.Seen);
            await Task.Delay(Interval, ct);
        }
    }
}
