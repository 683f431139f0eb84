namespace RestoreDrills.Tests.Inventory;

/// <summary>The inventory's verdicts on stores laid out as barman-cloud lays them out, one fault at a time.</summary>
public sealed class StoreInventoryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 1, 0, 0, TimeSpan.Zero);

    /// <summary>A backup from segment 2 to 3 (timeline 1) and WAL segments 1..8, each archived a minute after the last.</summary>
    private static (List<StoreObject> Objects, Dictionary<string, BackupInfo?> Infos) GoodStore()
    {
        var objects = new List<StoreObject>
        {
            new("base/B1/backup.info", 1154, T0.AddMinutes(3)),
            new("base/B1/data.tar.gz", 3_000_000, T0.AddMinutes(3)),
            new("wals/0000000100000000/000000010000000000000002.00000028.backup.gz", 200, T0.AddMinutes(3)),
        };
        for (var n = 1; n <= 8; n++)
            objects.Add(new StoreObject($"wals/0000000100000000/00000001000000000000000{n}.gz", 16_000, T0.AddMinutes(n)));
        return (objects, new Dictionary<string, BackupInfo?> { ["B1"] = Info("B1", "000000010000000000000002", "000000010000000000000003") });
    }

    private static BackupInfo Info(string id, string beginWal, string endWal, string status = "DONE") =>
        BackupInfo.Parse(id, $"""
            begin_time=2026-11-25 01:02:00+00:00
            begin_wal={beginWal}
            end_time=2026-11-25 01:03:00+00:00
            end_wal={endWal}
            end_xlog=0/3000100
            status={status}
            timeline=1
            version=150018
            xlog_segment_size=16777216
            """);

    private static StoreInventory Analyse((List<StoreObject> Objects, Dictionary<string, BackupInfo?> Infos) store) =>
        StoreInventory.Analyse("http://azurite:10000/devstoreaccount1/backups/srv", store.Objects, store.Infos);

    /// <summary>The good store with one object taken away, analysed: the inventory and its one backup.</summary>
    private static (StoreInventory Inventory, InventoryBackup Backup) AnalyseWithout(string nameEnd)
    {
        var store = GoodStore();
        Remove(store.Objects, nameEnd);
        var inventory = Analyse(store);
        return (inventory, inventory.Backups.Single());
    }

    private static void Remove(List<StoreObject> objects, string nameEnd) =>
        Assert.That(objects.RemoveAll(o => o.Name.EndsWith(nameEnd, StringComparison.Ordinal)), Is.EqualTo(1), $"the fixture has {nameEnd}");

    [Test]
    public void A_good_store_is_restorable_to_its_newest_segment_and_flags_nothing()
    {
        var inventory = Analyse(GoodStore());
        var backup = inventory.Backups.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(backup.Restorable, Is.True);
            Assert.That(backup.Reach.ToString(), Is.EqualTo("000000010000000000000008"));
            Assert.That(backup.FirstGap, Is.Null);
            Assert.That(inventory.Check(backup, RecoveryTarget.Latest()), Is.Empty);
            Assert.That(inventory.FirstRecoverabilityPoint, Is.EqualTo(T0.AddMinutes(3)));
            Assert.That(inventory.LastRecoverabilityPoint?.Segment.ToString(), Is.EqualTo("000000010000000000000008"));
            Assert.That(inventory.LastRecoverabilityPoint?.ArchivedAt, Is.EqualTo(T0.AddMinutes(8)));
            Assert.That(inventory.WalRuns.Select(r => r.ToString()),
                Is.EqualTo(new[] { "timeline 1: 000000010000000000000001..000000010000000000000008 found (8 segment(s))" }));
        }
    }

    [Test]
    public void A_segment_missing_after_the_backup_is_a_gap_that_blocks_latest_but_not_immediate()
    {
        var (inventory, backup) = AnalyseWithout("000000010000000000000005.gz");

        var latest = inventory.Check(backup, RecoveryTarget.Latest()).Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(latest.Cause, Is.EqualTo(FailureCause.WalArchivingFailed));
            Assert.That(latest.Blocks, Is.True);
            Assert.That(latest.Message, Does.Contain("segment 000000010000000000000005 is missing").And.Contain("stops at 000000010000000000000004")
                .And.Contain("3 segment(s) archived after the gap"));
            Assert.That(inventory.Check(backup, RecoveryTarget.Immediate("B1")).Single().Blocks, Is.False);
            Assert.That(inventory.WalRuns.Select(r => $"{r.Found}:{r.Count}"), Is.EqualTo(new[] { "True:4", "False:1", "True:3" }));
            Assert.That(inventory.LastRecoverabilityPoint?.Segment.ToString(), Is.EqualTo("000000010000000000000004"));
        }
    }

    [Test]
    public void A_gap_blocks_a_time_or_lsn_target_only_beyond_it()
    {
        var (inventory, backup) = AnalyseWithout("000000010000000000000005.gz");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(inventory.Check(backup, RecoveryTarget.Time(T0.AddMinutes(3.5))).Single().Blocks, Is.False, "before segment 4 was archived");
            Assert.That(inventory.Check(backup, RecoveryTarget.Time(T0.AddMinutes(4.5))).Single().Blocks, Is.True, "after segment 4 was archived");
            Assert.That(inventory.Check(backup, RecoveryTarget.Lsn("0/4FFFFFF")).Single().Blocks, Is.False, "in segment 4");
            Assert.That(inventory.Check(backup, RecoveryTarget.Lsn("0/5000000")).Single().Blocks, Is.True, "in the missing segment 5");
        }
    }

    [Test]
    public void A_segment_missing_inside_the_backup_makes_it_unrestorable()
    {
        var (inventory, backup) = AnalyseWithout("000000010000000000000003.gz");
        var finding = inventory.Check(backup, RecoveryTarget.Immediate("B1")).Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(backup.Restorable, Is.False);
            Assert.That(finding.Cause, Is.EqualTo(FailureCause.WalArchivingFailed));
            Assert.That(finding.Blocks, Is.True);
            Assert.That(finding.Message, Does.Contain("consistent is missing: 000000010000000000000003"));
            Assert.That(inventory.FirstRecoverabilityPoint, Is.Null);
        }
    }

    [Test]
    public void A_backup_without_its_data_archive_is_a_backup_failure()
    {
        var (inventory, backup) = AnalyseWithout("base/B1/data.tar.gz");
        var finding = inventory.Check(backup, RecoveryTarget.Latest()).Single();
        Assert.That(finding.Cause, Is.EqualTo(FailureCause.BackupFailed));
        Assert.That(finding.Message, Does.Contain("no data.tar archive under base/B1/"));
    }

    [Test]
    public void A_backup_that_did_not_complete_is_listed_and_never_restorable()
    {
        var store = GoodStore();
        store.Infos["B2"] = Info("B2", "000000010000000000000006", "", status: "FAILED");
        store.Objects.Add(new StoreObject("base/B2/backup.info", 900, T0.AddMinutes(6)));
        var inventory = Analyse(store);
        var failed = inventory.Backups.Single(b => b.Id == "B2");
        Assert.That(failed.Restorable, Is.False);
        Assert.That(inventory.Check(failed, RecoveryTarget.Latest()).Select(f => f.Cause), Does.Contain(FailureCause.BackupFailed));
        Assert.That(inventory.Describe(), Does.Contain("B2 | FAILED"));
    }

    [Test]
    public void History_files_and_unreadable_backup_info_are_listed()
    {
        var store = GoodStore();
        store.Objects.Add(new StoreObject("wals/00000002.history.gz", 60, T0.AddMinutes(9)));
        store.Infos["B0"] = null;
        var inventory = Analyse(store);
        Assert.That(inventory.HistoryFiles, Is.EqualTo(new[] { "00000002.history.gz" }));
        Assert.That(inventory.Unreadable, Is.EqualTo(new[] { "B0" }));
        Assert.That(inventory.Describe(), Does.Contain("B0 | backup.info unreadable").And.Contain("history files: 00000002.history.gz"));
    }
}
