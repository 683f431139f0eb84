using System.Security.Cryptography;
using System.Text;

namespace RestoreDrills.Reporting.Evidence;

/// <summary>
/// SHA-256 of every evidence file, in the format <c>sha256sum -c</c> reads ("hash, two spaces, path"), paths relative
/// to the folder the manifest is checked from, sorted so that the same evidence always gives the same manifest.
/// </summary>
public static class EvidenceManifest
{
    public static string Lines(string checkedFrom, IEnumerable<string> files) =>
        string.Concat(files
            .Select(f => (Hash: FileSha256(f), Path: System.IO.Path.GetRelativePath(checkedFrom, f).Replace('\\', '/')))
            .Select(f => f.Path.Contains('\n') || f.Path.Contains('\\')
                ? throw new ArgumentException($"'{f.Path}': sha256sum would escape this name; evidence files have plain names")
                : f)
            .OrderBy(f => f.Path, StringComparer.Ordinal)
            .Select(f => $"{f.Hash}  {f.Path}\n"));

    public static string FileSha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    public static string TextSha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
