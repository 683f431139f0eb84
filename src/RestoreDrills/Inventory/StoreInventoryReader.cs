using Azure.Storage.Blobs;

namespace RestoreDrills.Inventory;

/// <summary>Reads a server's folder with list and read calls only (works with a list+read SAS; never writes).</summary>
public static class StoreInventoryReader
{
    public static async Task<StoreInventory> ReadAsync(BlobContainerClient container, string serverName, string location, CancellationToken ct)
    {
        var prefix = serverName + "/";
        var objects = new List<StoreObject>();
        await foreach (var blob in container.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, prefix, ct))
            objects.Add(new StoreObject(blob.Name[prefix.Length..], blob.Properties.ContentLength ?? 0,
                blob.Properties.LastModified ?? DateTimeOffset.MinValue));

        var infos = new Dictionary<string, BackupInfo?>();
        foreach (var o in objects.Where(o => o.Name.StartsWith("base/", StringComparison.Ordinal) && o.Name.EndsWith("/backup.info", StringComparison.Ordinal)))
        {
            var backupId = o.Name.Split('/')[1];
            var content = await container.GetBlobClient(prefix + o.Name).DownloadContentAsync(ct);
            try
            {
                infos[backupId] = BackupInfo.Parse(backupId, content.Value.Content.ToString());
            }
            catch (FormatException)
            {
                infos[backupId] = null; // listed as unreadable in the inventory
            }
        }
        return StoreInventory.Analyse(location, objects, infos);
    }
}
