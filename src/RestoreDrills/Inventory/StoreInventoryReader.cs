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
        // History files are small: each is read (gunzipped when barman-cloud compressed it) and checked against the WAL.
        var histories = new Dictionary<string, string?>();
        foreach (var o in objects.Where(o => o.Name.StartsWith("wals/", StringComparison.Ordinal) && o.Name.Contains(".history", StringComparison.Ordinal)))
        {
            var file = Path.GetFileName(o.Name);
            var content = (await container.GetBlobClient(prefix + o.Name).DownloadContentAsync(ct)).Value.Content;
            histories[file] = file.EndsWith(".history", StringComparison.Ordinal) ? content.ToString()
                : file.EndsWith(".history.gz", StringComparison.Ordinal) ? Gunzip(content) : null; // bzip2/snappy: not read here, a finding
        }
        return StoreInventory.Analyse(location, objects, infos, histories);
    }

    private static string? Gunzip(BinaryData content)
    {
        try
        {
            using var gzip = new System.IO.Compression.GZipStream(content.ToStream(), System.IO.Compression.CompressionMode.Decompress);
            using var reader = new StreamReader(gzip);
            return reader.ReadToEnd();
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }
}
