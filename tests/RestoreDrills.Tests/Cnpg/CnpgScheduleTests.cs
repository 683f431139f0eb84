namespace RestoreDrills.Tests.Cnpg;

/// <summary>
/// ScheduledBackup schedules as CloudNative-PG's parser (robfig/cron v1.2.0 Parse) reads them: 5 or 6 fields with the
/// seconds first, descriptors, UTC. The preflight judges "on time" by that reading, not by a stricter or other one.
/// </summary>
public sealed class CnpgScheduleTests
{
    private static readonly DateTimeOffset LastRun = new(2026, 11, 25, 1, 0, 0, TimeSpan.Zero);

    [TestCase("0 0 1 * * *", "2026-11-26 01:00:00", TestName = "Six fields: daily at 01:00")]
    [TestCase("0 1 * * *", "2026-11-25 01:01:00", TestName = "Five fields are seconds-first: '0 1 * * *' runs every hour at :01, not daily")]
    [TestCase("0 0 1 * *", "2026-11-26 01:00:00", TestName = "Five fields, daily at 01:00 as CNPG reads it")]
    [TestCase("@daily", "2026-11-26 00:00:00", TestName = "@daily is midnight UTC")]
    [TestCase("@midnight", "2026-11-26 00:00:00", TestName = "@midnight")]
    [TestCase("@hourly", "2026-11-25 02:00:00", TestName = "@hourly")]
    [TestCase("@weekly", "2026-11-29 00:00:00", TestName = "@weekly is Sunday midnight")]
    [TestCase("@monthly", "2026-12-01 00:00:00", TestName = "@monthly")]
    [TestCase("@every 12h", "2026-11-25 13:00:00", TestName = "@every adds its Go duration")]
    [TestCase("@every 1h30m", "2026-11-25 02:30:00", TestName = "@every with a compound duration")]
    public void A_schedule_runs_next_when_CNPG_would_run_it(string schedule, string expectedUtc)
    {
        Assert.That(CnpgSchedule.TryParse(schedule, out var parsed, out var error), Is.True, error);
        Assert.That(parsed.Next(LastRun)!.Value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss"), Is.EqualTo(expectedUtc));
    }

    [TestCase("0 1 * *", "Expected 5 to 6 fields, found 4: 0 1 * *")]
    [TestCase("0 0 1 * * * *", "Expected 5 to 6 fields, found 7: 0 0 1 * * * *")]
    [TestCase("@fortnightly", "Unrecognized descriptor: @fortnightly")]
    [TestCase("@every soon", "Unrecognized descriptor: @every soon")]
    [TestCase("", "empty schedule")]
    [TestCase("0 0 1 L * *", "'L' is not cron syntax CloudNative-PG's parser (robfig/cron v1) knows: 0 0 1 L * *")]
    [TestCase("0 0 1 * * MON#2", "'MON#2' is not cron syntax CloudNative-PG's parser (robfig/cron v1) knows: 0 0 1 * * MON#2")]
    public void A_schedule_CNPG_refuses_is_refused_with_its_reason(string schedule, string reason)
    {
        Assert.That(CnpgSchedule.TryParse(schedule, out _, out var error), Is.False);
        Assert.That(error, Is.EqualTo(reason));
    }

    [Test]
    public void A_five_field_schedule_passes_the_preflight_on_CNPGs_reading_and_says_how_it_is_read()
    {
        // The old preflight refused any 5-field schedule, though CNPG accepts it: a false failure of the nightly drill.
        var check = CnpgPreflight.ScheduledBackupOnTime(Scheduled("0 0 1 * *", LastRun), "nightly", TimeSpan.FromHours(1), LastRun.AddHours(20));
        Assert.That(check.Passed, Is.True, check.Result.Detail);
        Assert.That(check.Result.Detail, Does.Contain("(CNPG reads the 5 fields as second minute hour day-of-month month (seconds first): '0 0 1 * *' = '0 0 1 * * *')"));
    }

    [Test]
    public void A_five_field_schedule_meant_as_daily_runs_hourly_and_a_day_without_a_run_is_overdue()
    {
        // "0 1 * * *" (Kubernetes CronJob style, meant 01:00 daily) runs hourly on CNPG: 20 h without a run is overdue.
        var check = CnpgPreflight.ScheduledBackupOnTime(Scheduled("0 1 * * *", LastRun), "nightly", TimeSpan.FromHours(1), LastRun.AddHours(20));
        Assert.That(check.Passed, Is.False);
        Assert.That(check.Result.Detail, Does.Contain("next due 2026-11-25 01:01:00Z").And.Contain("overdue by"));
    }

    [Test]
    public void An_unreadable_schedule_falls_back_to_the_operators_next_schedule_time()
    {
        var scheduled = Scheduled("0 0 1 L * *", LastRun); // Cronos-only syntax: robfig/cron has no L
        scheduled["status"]!["nextScheduleTime"] = "2026-11-26T01:00:00Z";
        var check = CnpgPreflight.ScheduledBackupOnTime(scheduled, "nightly", TimeSpan.FromHours(1), LastRun.AddHours(20));
        Assert.That(check.Passed, Is.True, check.Result.Detail);
        Assert.That(check.Result.Detail, Does.Contain("next due 2026-11-26 01:00:00Z (status.nextScheduleTime"));
    }

    private static JsonObject Scheduled(string schedule, DateTimeOffset? last) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = "nightly" },
        ["spec"] = new JsonObject { ["schedule"] = schedule, ["cluster"] = new JsonObject { ["name"] = "pg-prod" } },
        ["status"] = last is null ? new JsonObject() : new JsonObject { ["lastScheduleTime"] = last.Value.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'") },
    };
}
