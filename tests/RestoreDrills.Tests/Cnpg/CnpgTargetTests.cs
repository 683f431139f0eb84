namespace RestoreDrills.Tests.Cnpg;

/// <summary>
/// Targets a production CNPG drill can set without writing to the source, chosen so that CNPG's own rules restore
/// the backup the drill reports, and drilled only once the source's archive has passed them.
/// </summary>
public sealed class CnpgTargetTests : CnpgDoubleTest
{
    private static BackupStatus Nightly => CompletedBackup("pg-prod-nightly", new DateTimeOffset(2026, 11, 25, 1, 0, 10, TimeSpan.Zero));

    [Test]
    public void The_lsn_target_is_past_the_backups_end_so_CNPGs_strict_rule_picks_that_backup()
    {
        var target = CnpgTargets.For(RecoveryTargetKind.Lsn, Nightly);
        Assert.That(target.Value, Is.EqualTo("0/5000000"), "the first byte of the segment after the backup's last");
        var listing = new[] { Listed("20261124T010002", "0/2000138"), Listed(Nightly.BackupId!, Nightly.EndLsn!) };
        Assert.That(BackupSelector.Select(listing, target).BackupId, Is.EqualTo(Nightly.BackupId));
        Assert.That(BackupSelector.Select(listing, RecoveryTarget.Lsn(Nightly.EndLsn!)).BackupId, Is.EqualTo("20261124T010002"),
            "the backup's own end LSN would have restored the night before");
    }

    [TestCase("000000010000000000000004", false, TestName = "The backup's own last segment is not past an LSN target")]
    [TestCase("000000010000000000000004.00000028.backup", false, TestName = "A .backup file names its segment, not a later one")]
    [TestCase("000000010000000000000005", true, TestName = "The next segment archived holds the target")]
    [TestCase("000000010000000000000005.partial", true, TestName = "A .partial file names its segment")]
    [TestCase("00000002.history", false, TestName = "A history file names no segment")]
    [TestCase("000000020000000000000007", true, TestName = "A later timeline's later segment carries the WAL on (a switchover since the backup)")]
    [TestCase("000000020000000000000004", false, TestName = "A later timeline's segment before the target does not count")]
    [TestCase(null, false, TestName = "Nothing archived yet")]
    public void An_lsn_target_is_passed_once_the_segment_after_the_backup_is_archived(string? lastArchivedWal, bool past) =>
        Assert.That(SourceArchive.IsPast(Nightly, CnpgTargets.For(RecoveryTargetKind.Lsn, Nightly), lastArchivedWal, null), Is.EqualTo(past));

    [TestCase("000000010000000000000009", "2026-11-25T01:00:12.5Z", false)]
    [TestCase("000000010000000000000009", "2026-11-25T01:00:13.000000Z", true)]
    [TestCase("000000010000000000000009", "2026-11-25T02:00:00Z", true)]
    [TestCase("000000010000000000000009", null, false)]
    [TestCase("000000010000000000000004", "2026-11-25T01:00:13Z", false, TestName = "The backup's own last segment archived after the target holds nothing written after it")]
    [TestCase("000000010000000000000004.00000028.backup", "2026-11-25T01:00:14Z", false, TestName = "Nor does its .backup file")]
    public void A_time_target_is_passed_once_a_segment_after_the_backup_is_archived_a_second_after_it(string lastArchivedWal, string? lastArchivedTime, bool past)
    {
        var target = CnpgTargets.For(RecoveryTargetKind.Time, Nightly); // stoppedAt + 2 s = 01:00:12
        Assert.That(SourceArchive.IsPast(Nightly, target, lastArchivedWal, lastArchivedTime), Is.EqualTo(past));
    }

    [Test]
    public void A_source_too_quiet_to_pass_the_target_is_not_drillable_tonight_and_nothing_is_created()
    {
        Double.Patch(CnpgResources.Clusters, CnpgFixtureValues.SourceCluster, c =>
        {
            c["status"]!["lastArchivedWAL"] = "000000010000000000000004";
            c["status"]!["lastArchivedWALTime"] = "2026-11-25T01:00:10Z";
        });
        var drill = Drill(Settings with { ArchiveTimeout = TimeSpan.FromSeconds(0.3) });
        var notTonight = Assert.ThrowsAsync<NotDrillableException>(() => drill.RestoreAsync(Nightly, CnpgTargets.For(RecoveryTargetKind.Lsn, Nightly), CancellationToken.None));
        Assert.That(notTonight!.Message, Does.StartWith("not drillable tonight: the source pg-prod archived no WAL past the lsn target within 0 s")
            .And.Contain("needed segment 000000010000000000000005, last archived 000000010000000000000004 at 2026-11-25T01:00:10Z"));
        Assert.That(Double.All(CnpgResources.Clusters), Has.Count.EqualTo(1), "no restored cluster was created");
    }

    [Test]
    public void A_source_that_stops_archiving_while_the_drill_waits_is_a_WAL_archiving_failure_not_a_quiet_night()
    {
        Double.Patch(CnpgResources.Clusters, CnpgFixtureValues.SourceCluster, c =>
        {
            c["status"] = DoubleStatuses.Healthy(archiving: false);
            c["status"]!["lastArchivedWAL"] = "000000010000000000000004";
        });
        var failure = Assert.ThrowsAsync<DrillFailure>(() => Drill().RestoreAsync(Nightly, CnpgTargets.For(RecoveryTargetKind.Lsn, Nightly), CancellationToken.None));
        Assert.That(failure!.Cause, Is.EqualTo(FailureCause.WalArchivingFailed));
        Assert.That(failure.Message, Does.StartWith("the source pg-prod stopped archiving while the drill waited for WAL past the lsn target"));
    }

    [Test]
    public void Against_a_source_known_to_commit_a_quiet_archive_fails_the_drill()
    {
        Double.Patch(CnpgResources.Clusters, CnpgFixtureValues.SourceCluster, c => c["status"]!["lastArchivedWAL"] = "000000010000000000000004");
        var drill = Drill(Settings with { ArchiveTimeout = TimeSpan.FromSeconds(0.3), RequireDrillable = true });
        var failure = Assert.ThrowsAsync<DrillFailure>(() => drill.RestoreAsync(Nightly, CnpgTargets.For(RecoveryTargetKind.Lsn, Nightly), CancellationToken.None));
        Assert.That(failure!.Message, Does.StartWith("not drillable tonight").And.EndWith("(RESTOREDRILLS_CNPG_REQUIRE_DRILLABLE=true)"));
    }

    [Test]
    public void The_lsn_target_follows_the_sources_segment_size_as_the_backups_names_and_LSNs_show_it()
    {
        // initdb --wal-segsize=64: LSN 0/5000138 lies in segment 1 (0/4000000 to 0/8000000), the next starts at 0/8000000.
        var big = Nightly with { EndLsn = "0/5000138", EndWal = "000000010000000000000001" };
        Assert.That(CnpgTargets.SegmentSize(big), Is.EqualTo(64L * 1024 * 1024));
        Assert.That(CnpgTargets.For(RecoveryTargetKind.Lsn, big).Value, Is.EqualTo("0/8000000"), "16 MB arithmetic would give 0/2000000, below the backup's end");
        Assert.That(CnpgTargets.SegmentSize(Nightly), Is.EqualTo(16L * 1024 * 1024));
    }

    [Test]
    public void A_restore_that_would_read_another_archive_than_the_backups_is_refused_before_any_cluster()
    {
        // The serverName setting still names an older archive: restoring it would pass without reading tonight's backup.
        var error = Assert.ThrowsAsync<CnpgSetupException>(() => Drill(Settings with { SourceServerName = "pg-prod-2025" })
            .RestoreAsync(Nightly, RecoveryTarget.Latest(), CancellationToken.None));
        Assert.That(error!.Message, Is.EqualTo("Backup pg-prod-nightly was written under serverName 'pg-prod', but the restore reads 'pg-prod-2025' " +
                                               "(RESTOREDRILLS_CNPG_SOURCE_SERVER_NAME): it would restore another archive's backups"));
        var elsewhere = Assert.ThrowsAsync<CnpgSetupException>(() => Drill(Settings with { DestinationPath = "https://oldbackups.blob.core.windows.net/cnpg" })
            .RestoreAsync(Nightly with { DestinationPath = CnpgFixtureValues.DestinationPath + "/" }, RecoveryTarget.Latest(), CancellationToken.None));
        Assert.That(elsewhere!.Message, Does.StartWith("Backup pg-prod-nightly was written to 'https://prodbackups.blob.core.windows.net/cnpg/'"));
        Assert.That(Double.All(CnpgResources.Clusters), Has.Count.EqualTo(1), "no restored cluster was created");
    }

    private static BaseBackup Listed(string id, string endLsn) =>
        new(id, "DONE", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddDays(1), "000000010000000000000002", "000000010000000000000004", endLsn, 1);
}
