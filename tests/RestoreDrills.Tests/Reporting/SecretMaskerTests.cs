namespace RestoreDrills.Tests.Reporting;

public sealed class SecretMaskerTests
{
    [Test]
    public void A_registered_secret_is_masked_wherever_it_appears()
    {
        var key = SecretMasker.Register("key-" + Guid.NewGuid().ToString("N"));
        var connection = SecretMasker.Register($"AccountName=a;AccountKey={key};BlobEndpoint=http://x");
        Assert.That(SecretMasker.Apply($"1 {key} 2 {connection} 3"), Is.EqualTo($"1 {SecretMasker.Mask} 2 {SecretMasker.Mask} 3"));
    }

    /// <summary>Failed before: a secret the drill never read (a pod log echoing the storage credentials) went out as it was.</summary>
    [TestCase("ERROR: AccountKey=Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA==;EndpointSuffix=core.windows.net", "ERROR: AccountKey=[secret];EndpointSuffix=core.windows.net")]
    [TestCase("GET https://acct.blob.core.windows.net/c?sv=2026-10-06&sr=c&sig=ab%2Fcd%2Bef0123%3D&sp=rl 403", "GET https://acct.blob.core.windows.net/c?sv=2026-10-06&sr=c&sig=[secret]&sp=rl 403")]
    [TestCase("BlobEndpoint=http://x;SharedAccessSignature=sv=2026&sig=abc123", "BlobEndpoint=http://x;SharedAccessSignature=[secret]&sig=[secret]")]
    [TestCase("uri postgresql://app:s3cr3t-pass@pg-rw:5432/app", "uri postgresql://app:[secret]@pg-rw:5432/app")]
    [TestCase("host http://pg-rw:5432/app and AccountName=acct", "host http://pg-rw:5432/app and AccountName=acct")]
    public void A_secret_nobody_registered_is_masked_by_its_shape(string text, string masked)
    {
        Assert.That(SecretMasker.Apply(text), Is.EqualTo(masked));
    }

    [Test]
    public void A_secret_too_short_to_mask_safely_is_refused()
    {
        Assert.Throws<ArgumentException>(() => SecretMasker.Register("abc"));
    }
}
