namespace RestoreDrills.Tests.Reporting;

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
