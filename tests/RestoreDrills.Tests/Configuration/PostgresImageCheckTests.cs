namespace RestoreDrills.Tests.Configuration;

public sealed class PostgresImageCheckTests
{
    [TestCase("15.18 (Debian 15.18-0+deb12u1)", 15)]
    [TestCase("17.6 (Debian 17.6-1)", 17)]
    [TestCase("18.1", 18)]
    [TestCase("9.6.24", 9)]
    public void The_major_is_the_leading_number_of_server_version(string serverVersion, int major)
    {
        Assert.That(PostgresImageCheck.Major(serverVersion), Is.EqualTo(major));
    }

    [Test]
    public void An_image_of_another_major_than_claimed_is_named_with_both()
    {
        Assert.Multiple(() =>
        {
            Assert.That(PostgresImageCheck.Problem("restoredrills/postgres:17", 17, "17.6 (Debian 17.6-1)"), Is.Null);
            Assert.That(PostgresImageCheck.Problem("mine/pg:16", null, "16.1"), Is.Null, "no major claimed: nothing to check");
            Assert.That(PostgresImageCheck.Problem("mine/pg:17", 17, "16.1 (Debian 16.1-1)"), Is.EqualTo(
                "the image mine/pg:17 runs PostgreSQL 16.1 (Debian 16.1-1), not 17 as RESTOREDRILLS_POSTGRES_MAJOR (--postgres) asks: " +
                "set RESTOREDRILLS_POSTGRES_IMAGE to an image of PostgreSQL 17, or leave it unset for the project's"));
            Assert.Throws<FormatException>(() => PostgresImageCheck.Major("devel"));
        });
    }
}
