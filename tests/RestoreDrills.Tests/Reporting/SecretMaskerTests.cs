using NUnit.Framework;
using RestoreDrills.Secrets;

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

public sealed class ConnectionStringSecretsTests
{
    [Test]
    public void The_key_the_sas_token_and_its_signature_are_each_secret()
    {
        var key = Convert.ToBase64String(Guid.NewGuid().ToByteArray());
        var sas = "sv=2026-10-06&sr=c&sp=rl&sig=ab%2Fcd%2Bef0123456789%3D";
        var parts = RestoreDrills.ObjectStore.ObjectStoreLocation.SecretParts(
            $"DefaultEndpointsProtocol=http;AccountName=acct;AccountKey={key};BlobEndpoint=http://x;SharedAccessSignature=?{sas}").ToList();
        Assert.That(parts, Is.EquivalentTo(new[] { key, sas, "ab%2Fcd%2Bef0123456789%3D", "ab/cd+ef0123456789=" }));
    }

    [Test]
    public void A_store_location_as_text_names_the_store_not_its_connection_string()
    {
        // Interpolated into a message or shown by an assertion (NUnit prints records it compares): never the key.
        var key = Convert.ToBase64String(Guid.NewGuid().ToByteArray()) + "Zz9";
        var location = new RestoreDrills.ObjectStore.ObjectStoreLocation("http://azurite:10000/acct/backups", "pg-main", $"AccountName=acct;AccountKey={key};BlobEndpoint=http://azurite:10000/acct");
        Assert.That(location.ToString(), Is.EqualTo("http://azurite:10000/acct/backups/pg-main"));
    }

    [Test]
    public void Names_and_endpoints_are_not_secret()
    {
        Assert.That(RestoreDrills.ObjectStore.ObjectStoreLocation.SecretParts("AccountName=acct;BlobEndpoint=http://azurite:10000/acct"), Is.Empty);
    }
}
