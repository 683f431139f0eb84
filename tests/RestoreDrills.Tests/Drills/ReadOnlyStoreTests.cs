using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Sas;
using RestoreDrills.ObjectStore;

namespace RestoreDrills.Tests.Drills;

/// <summary>
/// Harm a drill must never do to the backups it verifies: a restore needs only read and list rights, the store
/// refuses writes with such credentials, and after a restore the store holds exactly what it held before.
/// </summary>
[TestFixture]
public sealed class ReadOnlyStoreTests : PreparedDrillTest
{
    private readonly Uri _readListSas = ContainersRun.Platform.Store.Blobs.GenerateSasUri(
        BlobContainerSasPermissions.Read | BlobContainerSasPermissions.List, DateTimeOffset.UtcNow.AddHours(1));

    protected override RecoveryTargetKind TargetKind => RecoveryTargetKind.Latest;

    private ObjectStoreLocation ReadListLocation() => new(Drill.Source.Store.DestinationPath, Drill.Source.Store.ServerName,
        $"BlobEndpoint=http://{AzuriteObjectStore.NetworkAlias}:{AzuriteObjectStore.BlobPort}/{AzuriteObjectStore.Account};SharedAccessSignature={_readListSas.Query.TrimStart('?')}");

    [Test]
    public async Task A_restore_works_with_read_and_list_rights_only_and_changes_nothing_in_the_store()
    {
        var before = await StoreListing.ContentsAsync();
        await using var restored = await ContainersRun.Platform.CreateRestoredAsync(Drill.Source, CancellationToken.None, ReadListLocation());
        var backupId = Prep.Backup.Backup.BackupId;
        var recovery = await RestoreSteps.RunAsync(restored, backupId, new RecoveryTarget(RecoveryTargetKind.Latest, "", backupId));

        Assert.That(recovery.Timeline, Is.GreaterThan(1), "promoted after replaying WAL read with the SAS");
        Assert.That(await StoreListing.ContentsAsync(), Is.EqualTo(before), "no blob added, changed or deleted");
    }

    [Test]
    public void The_store_rejects_a_write_with_read_and_list_rights()
    {
        var sasOnHost = new BlobContainerClient(_readListSas);
        var e = Assert.ThrowsAsync<RequestFailedException>(() =>
            sasOnHost.UploadBlobAsync($"{Drill.Source.Store.ServerName}/write-probe", new BinaryData("must not land")));
        Assert.That(e!.Status, Is.EqualTo(403));
    }

    [Test]
    public void The_sas_token_is_masked_like_any_credential()
    {
        var token = _readListSas.Query.TrimStart('?');
        _ = ReadListLocation(); // registering happens where credentials enter
        Assert.That(SecretMasker.Apply($"connect with {token}"), Does.Not.Contain(token));
    }
}
