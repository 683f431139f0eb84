using System.Globalization;
using System.Text.RegularExpressions;
using Cronos;

namespace RestoreDrills.Platforms.Cnpg;

/// <summary>
/// A ScheduledBackup's spec.schedule read as CloudNative-PG reads it: robfig/cron v1's Parse (the operator's
/// scheduledbackup controller and webhook), which takes 5 or 6 fields with the seconds always first (a 5-field spec
/// is second minute hour day-of-month month, the day of week defaulting to *: "0 1 * * *" runs every hour at :01,
/// not daily), and the descriptors @yearly/@annually, @monthly, @weekly, @daily/@midnight, @hourly and
/// "@every &lt;duration&gt;", all in the operator's zone (UTC).
/// </summary>
public sealed partial class CnpgSchedule
{
    private readonly CronExpression? _cron;
    private readonly TimeSpan? _every;

    private CnpgSchedule(string text, CronExpression? cron, TimeSpan? every, string? note) =>
        (Text, _cron, _every, Note) = (text, cron, every, note);

    public string Text { get; }

    /// <summary>How the operator reads a schedule that does not mean what it looks like (a 5-field spec), else null.</summary>
    public string? Note { get; }

    public static bool TryParse(string text, out CnpgSchedule schedule, out string error)
    {
        schedule = null!;
        error = "";
        var spec = text.Trim();
        if (spec.Length == 0) { error = "empty schedule"; return false; }
        if (spec.StartsWith('@')) return TryDescriptor(spec, out schedule, out error);
        var fields = spec.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length is < 5 or > 6)
        {
            error = $"Expected 5 to 6 fields, found {fields.Length}: {spec}"; // robfig/cron's own words
            return false;
        }
        var six = fields.Length == 6 ? fields : [.. fields, "*"];
        // robfig/cron v1 knows *, ?, numbers, names, ranges, steps and lists; Cronos also takes L, W and #, which CNPG refuses.
        if (six.SelectMany(f => f.Split(',', '-', '/')).FirstOrDefault(t => t.Contains('#') || t is "L" or "LW" || NumberWithSuffix().IsMatch(t)) is { } token)
        {
            error = $"'{token}' is not cron syntax CloudNative-PG's parser (robfig/cron v1) knows: {spec}";
            return false;
        }
        try
        {
            var cron = CronExpression.Parse(string.Join(' ', six), CronFormat.IncludeSeconds);
            var note = fields.Length == 5
                ? $"CNPG reads the 5 fields as second minute hour day-of-month month (seconds first): '{spec}' = '{string.Join(' ', six)}'"
                : null;
            schedule = new CnpgSchedule(spec, cron, null, note);
            return true;
        }
        catch (CronFormatException e)
        {
            error = e.Message;
            return false;
        }
    }

    /// <summary>The first run strictly after <paramref name="after"/>; null when the schedule never runs again.</summary>
    public DateTimeOffset? Next(DateTimeOffset after)
    {
        if (_every is { } every)
        {
            // robfig/cron's ConstantDelaySchedule: the delay added to the time truncated to the second.
            var truncated = new DateTimeOffset(after.UtcTicks - after.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
            return truncated + every;
        }
        return _cron!.GetNextOccurrence(after.UtcDateTime, TimeZoneInfo.Utc) is { } next ? new DateTimeOffset(next, TimeSpan.Zero) : null;
    }

    private static bool TryDescriptor(string spec, out CnpgSchedule schedule, out string error)
    {
        error = "";
        schedule = null!;
        var cron = spec switch
        {
            "@yearly" or "@annually" => "0 0 0 1 1 *",
            "@monthly" => "0 0 0 1 * *",
            "@weekly" => "0 0 0 * * 0",
            "@daily" or "@midnight" => "0 0 0 * * *",
            "@hourly" => "0 0 * * * *",
            _ => null,
        };
        if (cron is not null)
        {
            schedule = new CnpgSchedule(spec, CronExpression.Parse(cron, CronFormat.IncludeSeconds), null, null);
            return true;
        }
        const string every = "@every ";
        if (spec.StartsWith(every, StringComparison.Ordinal) && TryGoDuration(spec[every.Length..].Trim(), out var delay))
        {
            // robfig/cron: a delay under a second becomes one second; the rest is truncated to whole seconds.
            var seconds = Math.Max(1, (long)delay.TotalSeconds);
            schedule = new CnpgSchedule(spec, null, TimeSpan.FromSeconds(seconds), null);
            return true;
        }
        error = $"Unrecognized descriptor: {spec}";
        return false;
    }

    /// <summary>A Go duration (time.ParseDuration): a sequence of decimal numbers with units h, m, s, ms, us/µs, ns.</summary>
    public static bool TryGoDuration(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (text == "0") return true;
        var matches = GoDurationPart().Matches(text);
        if (matches.Count == 0 || string.Concat(matches.Select(m => m.Value)) != text) return false;
        double ticks = 0;
        foreach (Match m in matches)
        {
            var value = double.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture);
            ticks += value * m.Groups["u"].Value switch
            {
                "h" => TimeSpan.TicksPerHour, "m" => TimeSpan.TicksPerMinute, "s" => TimeSpan.TicksPerSecond,
                "ms" => TimeSpan.TicksPerMillisecond, "us" or "µs" => TimeSpan.TicksPerMicrosecond, _ => 0.01, // ns
            };
        }
        duration = TimeSpan.FromTicks((long)ticks);
        return true;
    }

    [GeneratedRegex(@"^\d+[LW]$")]
    private static partial Regex NumberWithSuffix();

    [GeneratedRegex(@"(?<n>\d+(\.\d*)?|\.\d+)(?<u>ns|us|µs|ms|h|m|s)")]
    private static partial Regex GoDurationPart();
}
