namespace RestoreDrills.Tests.RecoveryTargets;

public sealed class RecoveryTargetTests
{
    private const string RestoreCommand = "barman-cloud-wal-restore x y %f %p";

    [Test]
    public void A_time_target_carries_an_explicit_zone_and_microseconds()
    {
        var target = RecoveryTarget.Time(new DateTimeOffset(2026, 11, 25, 19, 34, 40, TimeSpan.FromHours(1)).AddTicks(6202390));
        Assert.That(target.Value, Is.EqualTo("2026-11-25 18:34:40.620239+00"));
        Assert.That(target.RecoverySettings(RestoreCommand), Does.Contain("recovery_target_time = '2026-11-25 18:34:40.620239+00'"));
    }

    [Test]
    public void Every_restore_promotes_and_never_archives()
    {
        foreach (var target in new[]
                 {
                     RecoveryTarget.Lsn("0/3000000"), RecoveryTarget.Xid(728, "b1"), RecoveryTarget.Name("p", "b1"),
                     RecoveryTarget.Immediate("b1"), RecoveryTarget.Latest(),
                 })
            Assert.That(target.RecoverySettings(RestoreCommand),
                Does.Contain("archive_mode = off").And.Contain("recovery_target_action = 'promote'")
                    .And.Contain($"restore_command = '{RestoreCommand}'"), target.ToString());
    }

    [Test]
    public void Immediate_and_latest_have_no_inclusive_setting_and_latest_no_target()
    {
        var latest = RecoveryTarget.Latest().RecoverySettings(RestoreCommand);
        Assert.Multiple(() =>
        {
            Assert.That(latest.Select(l => l.Split(" = ")[0]),
                Is.EquivalentTo(new[] { "restore_command", "recovery_target_timeline", "recovery_target_action", "archive_mode" }));
            Assert.That(RecoveryTarget.Immediate("b").RecoverySettings(RestoreCommand), Does.Contain("recovery_target = 'immediate'"));
            Assert.That(RecoveryTarget.Xid(9, "b").RecoverySettings(RestoreCommand), Does.Contain("recovery_target_inclusive = true"));
        });
    }

    [Test]
    public void Quotes_in_a_restore_point_name_are_escaped()
    {
        Assert.That(RecoveryTarget.Name("it's", "b").RecoverySettings(RestoreCommand), Does.Contain("recovery_target_name = 'it''s'"));
    }

    [Test]
    public void The_report_form_starts_with_the_kind()
    {
        Assert.Multiple(() =>
        {
            Assert.That(RecoveryTarget.Lsn("0/3000000").ToString(), Is.EqualTo("lsn=0/3000000"));
            Assert.That(RecoveryTarget.Latest().ToString(), Is.EqualTo("latest"));
            Assert.That(RecoveryTarget.Immediate("b").ToString(), Is.EqualTo("immediate"));
        });
    }

    [Test]
    public void An_unknown_kind_lists_the_known_ones()
    {
        var e = Assert.Throws<ArgumentException>(() => RecoveryTargetKinds.Parse("yesterday"));
        Assert.That(e!.Message, Does.Contain("'yesterday'").And.Contain("time, lsn, xid, name, immediate, latest"));
        Assert.That(RecoveryTargetKinds.Parse("LSN"), Is.EqualTo(RecoveryTargetKind.Lsn));
    }
}
