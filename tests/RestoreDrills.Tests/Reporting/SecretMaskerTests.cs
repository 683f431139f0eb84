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
