using Azure.Storage.Blobs.Models;
using RestoreDrills.Tests.Containers;

namespace RestoreDrills.Tests.Support;

/// <summary>Every blob of the run's store with its ETag and size: equal listings mean nothing was added, changed or deleted.</summary>
public static class StoreListing
{
    public static async Task<IReadOnlyList<string>> ContentsAsync()
    {
        var listing = new List<string>();
        await foreach (var blob in ContainersRun.Platform.Store.Blobs.GetBlobsAsync(BlobTraits.None, BlobStates.None, null, CancellationToken.None))
            listing.Add($"{blob.Name} {blob.Properties.ETag} {blob.Properties.ContentLength}");
        return listing;
    }
}
