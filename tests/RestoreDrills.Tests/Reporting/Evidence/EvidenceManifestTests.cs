namespace RestoreDrills.Tests.Reporting.Evidence;

/// <summary>The manifest as sha256sum reads it (sha256sum itself checks it in EvidencePackageTests).</summary>
public sealed class EvidenceManifestTests
{
    [Test]
    public void Lines_are_sha256sums_format_sorted_by_path_relative_to_the_check_folder()
    {
        var root = Directory.CreateTempSubdirectory("restoredrills-manifest-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "artifacts", "b"));
            File.WriteAllText(Path.Combine(root, "artifacts", "b", "x.txt"), "abc");
            File.WriteAllText(Path.Combine(root, "artifacts", "a.txt"), "");
            var lines = EvidenceManifest.Lines(root, [Path.Combine(root, "artifacts", "b", "x.txt"), Path.Combine(root, "artifacts", "a.txt")]);
            Assert.That(lines, Is.EqualTo(
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  artifacts/a.txt\n" +
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  artifacts/b/x.txt\n"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Test]
    public void Text_digest_is_sha256_of_its_utf8_bytes()
    {
        Assert.That(EvidenceManifest.TextSha256("abc"), Is.EqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    }
}
