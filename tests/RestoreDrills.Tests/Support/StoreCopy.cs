using Azure.Storage.Blobs.Models;

namespace RestoreDrills.Tests.Support;

/// <summary>Copies of a good store under another server name, each broken one way; the good store stays intact.</summary>
public static class StoreCopy
{
    private static Azure.Storage.Blobs.BlobContainerClient Blobs => ContainersRun.Platform.Store.Blobs;

    /// <summary>
    /// Copies every blob of <paramref name="server"/> to "&lt;server&gt;-&lt;suffix&gt;" through <paramref name="transform"/>
    /// (given the name under the server's folder; null leaves the blob out). At least one blob must be changed.
    /// </summary>
    public static async Task<string> CopyAsync(string server, string suffix, Func<string, BinaryData, Task<BinaryData?>> transform)
    {
        var copy = $"{server}-{suffix}";
        var changed = 0;
        await foreach (var blob in Blobs.GetBlobsAsync(BlobTraits.None, BlobStates.None, server + "/", CancellationToken.None))
        {
            var relative = blob.Name[(server.Length + 1)..];
            var content = (await Blobs.GetBlobClient(blob.Name).DownloadContentAsync()).Value.Content;
            var result = await transform(relative, content);
            if (result is null || !ReferenceEquals(result, content)) changed++;
            if (result is not null) await Blobs.GetBlobClient($"{copy}/{relative}").UploadAsync(result, overwrite: true);
        }
        Assert.That(changed, Is.GreaterThan(0), $"the {suffix} fixture found what to break");
        return copy;
    }

    /// <summary>The store's WAL file names under wals/ (segments, history files, .partial and .backup files), compression suffix kept.</summary>
    public static async Task<IReadOnlyList<string>> WalFilesAsync(string server)
    {
        var names = new List<string>();
        await foreach (var blob in Blobs.GetBlobsAsync(BlobTraits.None, BlobStates.None, $"{server}/wals/", CancellationToken.None))
            names.Add(Path.GetFileName(blob.Name));
        return names;
    }
}
