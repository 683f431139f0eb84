namespace RestoreDrills.Tests.Backups;

/// <summary>Backup selection as CNPG does it, on the listing barman-cloud 3.4 really printed.</summary>
public sealed class BackupSelectorTests
{
    private static IReadOnlyList<BaseBackup> Listing() =>
        BaseBackup.ParseListing(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "backup-list-barman-3.4.json")));

    private static RecoveryTarget At(int hour, int minute, int second) =>
        RecoveryTarget.Time(new DateTimeOffset(2026, 11, 25, hour, minute, second, TimeSpan.Zero));

    [Test]
    public void The_listing_is_parsed_with_times_in_utc()
    {
        var first = Listing()[0];
        Assert.Multiple(() =>
        {
            Assert.That(first.BackupId, Is.EqualTo("20261125T182459"));
            Assert.That(first.EndTime, Is.EqualTo(new DateTimeOffset(2026, 11, 25, 18, 25, 3, TimeSpan.Zero)));
            Assert.That(first.EndLsn, Is.EqualTo("0/2000100"));
            Assert.That(first.Timeline, Is.EqualTo(1));
            Assert.That(Listing()[1].EndTime, Is.EqualTo(new DateTimeOffset(2026, 11, 25, 18, 30, 9, TimeSpan.Zero)), "ctime pads the day with a space");
        });
    }

    [Test]
    public void A_time_target_takes_the_newest_backup_that_ended_before_it()
    {
        Assert.That(BackupSelector.Select(Listing(), At(18, 35, 0)).BackupId, Is.EqualTo("20261125T183001"));
        Assert.That(BackupSelector.Select(Listing(), At(18, 29, 0)).BackupId, Is.EqualTo("20261125T182459"));
    }

    [Test]
    public void A_failed_backup_is_never_chosen()
    {
        Assert.That(BackupSelector.Select(Listing(), At(23, 0, 0)).BackupId, Is.EqualTo("20261125T183001"));
    }

    [Test]
    public void A_backup_listed_as_ending_in_the_target_second_is_not_taken()
    {
        // Listed end 18:30:09 (truncated): it may have ended at 18:30:09.9, after a target at 18:30:09.5.
        var target = RecoveryTarget.Time(new DateTimeOffset(2026, 11, 25, 18, 30, 9, 500, TimeSpan.Zero));
        Assert.That(BackupSelector.Select(Listing(), target).BackupId, Is.EqualTo("20261125T182459"));
    }

    [Test]
    public void An_lsn_target_takes_the_newest_backup_that_ended_strictly_before_it_as_CNPGs_catalog_does()
    {
        // barman-cloud's catalog (findClosestBackupFromTargetLSN): EndLSN.Less(target). A target equal to the
        // backup's end LSN restores the backup before it.
        Assert.That(BackupSelector.Select(Listing(), RecoveryTarget.Lsn("0/5000139")).BackupId, Is.EqualTo("20261125T183001"));
        Assert.That(BackupSelector.Select(Listing(), RecoveryTarget.Lsn("0/5000138")).BackupId, Is.EqualTo("20261125T182459"));
    }

    [Test]
    public void A_target_before_the_first_backup_is_refused_with_the_reason()
    {
        var e = Assert.Throws<BackupSelectionException>(() => BackupSelector.Select(Listing(), At(18, 0, 0)));
        Assert.That(e!.Message, Does.Contain("before the first recoverability point"));
    }

    [Test]
    public void An_explicit_backup_id_is_used_and_an_unknown_one_refused()
    {
        Assert.That(BackupSelector.Select(Listing(), RecoveryTarget.Xid(5, "20261125T182459")).BackupId, Is.EqualTo("20261125T182459"));
        var e = Assert.Throws<BackupSelectionException>(() => BackupSelector.Select(Listing(), RecoveryTarget.Immediate("nope")));
        Assert.That(e!.Message, Does.Contain("'nope'").And.Contain("20261125T183001"));
    }

    [Test]
    public void Lsns_compare_by_value_not_as_text()
    {
        Assert.That(WalPosition.Parse("0/A000000") > WalPosition.Parse("0/9FFFFFF"), Is.True);
        Assert.That(WalPosition.Parse("1/0") > WalPosition.Parse("0/FFFFFFFF"), Is.True);
        Assert.That(WalPosition.Parse("16/B374D848").ToString(), Is.EqualTo("16/B374D848"));
        Assert.Throws<FormatException>(() => WalPosition.Parse("16-B374D848"));
    }
}
