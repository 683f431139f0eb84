using NUnit.Framework;
using RestoreDrills.Reporting;

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
    public void Names_and_endpoints_are_not_secret()
    {
        Assert.That(RestoreDrills.ObjectStore.ObjectStoreLocation.SecretParts("AccountName=acct;BlobEndpoint=http://azurite:10000/acct"), Is.Empty);
    }
}
