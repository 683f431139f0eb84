using System.IO.Compression;
using System.Text;

namespace RestoreDrills.Tests.Support;

/// <summary>Text gzipped as barman-cloud stores a history file (wals/0000000N.history.gz), for tests that write or read one.</summary>
public static class GzipText
{
    public static BinaryData Of(string text)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
            gzip.Write(Encoding.UTF8.GetBytes(text));
        return BinaryData.FromBytes(buffer.ToArray());
    }

    public static string Read(BinaryData content)
    {
        using var gzip = new GZipStream(content.ToStream(), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
