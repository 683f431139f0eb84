using System.Formats.Tar;
using System.IO.Compression;

namespace RestoreDrills.Tests.Support;

/// <summary>A base backup's data.tar.gz rewritten member by member, to inject a fault into a store's backup.</summary>
public static class BaseArchive
{
    /// <summary><paramref name="change"/> gets each file member's name and content and returns the new content, or null to drop it.</summary>
    public static async Task<BinaryData> RewriteAsync(BinaryData archive, Func<string, byte[], byte[]?> change)
    {
        using var rewritten = new MemoryStream();
        await using (var gzipOut = new GZipStream(rewritten, CompressionLevel.Fastest, leaveOpen: true))
        await using (var writer = new TarWriter(gzipOut, TarEntryFormat.Pax, leaveOpen: true))
        await using (var gzipIn = new GZipStream(archive.ToStream(), CompressionMode.Decompress))
        await using (var reader = new TarReader(gzipIn))
        {
            while (await reader.GetNextEntryAsync(copyData: true) is { } entry)
            {
                if (entry.DataStream is { } data)
                {
                    using var buffer = new MemoryStream();
                    await data.CopyToAsync(buffer);
                    if (change(entry.Name.TrimStart('.', '/'), buffer.ToArray()) is not { } content) continue;
                    entry.DataStream = new MemoryStream(content);
                }
                await writer.WriteEntryAsync(entry);
            }
        }
        return BinaryData.FromBytes(rewritten.ToArray());
    }
}
