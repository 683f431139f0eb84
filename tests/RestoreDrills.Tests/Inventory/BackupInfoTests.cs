namespace RestoreDrills.Tests.Inventory;

public sealed class BackupInfoTests
{
    private static string RealBackupInfo => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "backup.info-barman-3.4"));

    [Test]
    public void Reads_what_barman_cloud_3_4_writes()
    {
        var info = BackupInfo.Parse("20261125T211756", RealBackupInfo);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(info.Backup.BackupId, Is.EqualTo("20261125T211756"));
            Assert.That(info.Backup.Status, Is.EqualTo("DONE"));
            Assert.That(info.Backup.BeginTime, Is.EqualTo(new DateTimeOffset(2026, 11, 25, 21, 17, 56, TimeSpan.Zero).AddTicks(1345070)));
            Assert.That(info.Backup.EndTime, Is.EqualTo(new DateTimeOffset(2026, 11, 25, 21, 17, 59, TimeSpan.Zero).AddTicks(8387380)));
            Assert.That(info.Backup.BeginWal, Is.EqualTo("000000010000000000000002"));
            Assert.That(info.Backup.EndWal, Is.EqualTo("000000010000000000000002"));
            Assert.That(info.Backup.EndLsn, Is.EqualTo("0/2000100"));
            Assert.That(info.Backup.Timeline, Is.EqualTo(1));
            Assert.That(info.PostgresMajor, Is.EqualTo(15));
            Assert.That(info.SegmentSize, Is.EqualTo(16 * 1024 * 1024));
            Assert.That(info.Error, Is.Null);
        }
    }

    [Test]
    public void A_failed_backup_is_read_with_its_error_and_no_end()
    {
        var text = RealBackupInfo.Replace("status=DONE", "status=FAILED").Replace("error=None", "error='failure during backup: disk full'")
            .Replace("end_time=2026-11-25 21:17:59.838738+00:00", "end_time=None");
        var info = BackupInfo.Parse("b1", text);
        Assert.That(info.Backup.Status, Is.EqualTo("FAILED"));
        Assert.That(info.Error, Is.EqualTo("failure during backup: disk full"));
    }

    [Test]
    public void A_file_without_its_status_is_unreadable() =>
        Assert.That(() => BackupInfo.Parse("b1", RealBackupInfo.Replace("status=DONE\n", "")),
            Throws.InstanceOf<FormatException>().With.Message.Contains("status"));
}
