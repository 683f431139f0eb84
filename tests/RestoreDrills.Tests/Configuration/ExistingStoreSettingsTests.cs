namespace RestoreDrills.Tests.Configuration;

public sealed class ExistingStoreSettingsTests
{
    private const string Key = "c2VjcmV0LWtleS1vZi10aGUtYWNjb3VudA==";

    private static ExistingStoreSettings Read(Dictionary<string, string> values) =>
        ExistingStoreSettings.Read(new SettingsReader(n => values.GetValueOrDefault(n), _ => null), "restoredrills/postgres:15");

    private static Dictionary<string, string> Minimal() => new()
    {
        ["RESTOREDRILLS_STORE_URL"] = "https://acme.blob.core.windows.net/backups",
        ["RESTOREDRILLS_SERVER_NAME"] = "pg-prod",
        ["RESTOREDRILLS_STORE_KEY"] = Key,
    };

    [Test]
    public void Defaults_restore_the_newest_backup_to_the_end_of_the_archive_and_expect_the_runbook_rows()
    {
        var s = Read(Minimal());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(s.Address, Is.EqualTo(new StoreAddress("https://acme.blob.core.windows.net/backups", "https://acme.blob.core.windows.net", "acme", "backups")));
            Assert.That(s.HostAddress, Is.EqualTo(s.Address));
            Assert.That(s.Backup.ToString(), Is.EqualTo("newest restorable"));
            Assert.That(s.Target.Kind, Is.EqualTo(RecoveryTargetKind.Latest));
            Assert.That(s.Database, Is.EqualTo("app"));
            Assert.That(s.Superuser, Is.EqualTo("postgres"));
            Assert.That(s.ImagesByMajor, Is.EqualTo(new Dictionary<int, string> { [15] = "restoredrills/postgres:15", [17] = "restoredrills/postgres:17", [18] = "restoredrills/postgres:18" }));
            Assert.That(s.Expectations.CanonicalRows, Has.Count.EqualTo(5).And.Contains("test_user_amine"));
            Assert.That(s.Expectations.MinimumRows, Is.EqualTo(new Dictionary<string, long> { ["backup_test"] = 5 }));
            Assert.That(s.MaxBackupAge, Is.EqualTo(TimeSpan.FromHours(26)));
        }
    }

    [TestCase("http://azurite:10000/devstoreaccount1/backups", "http://azurite:10000/devstoreaccount1", "devstoreaccount1", "backups")]
    [TestCase("https://acme.blob.core.windows.net/pg/", "https://acme.blob.core.windows.net", "acme", "pg")]
    public void A_destination_path_gives_endpoint_account_and_container(string url, string endpoint, string account, string container)
    {
        var address = StoreAddress.Parse(url, "X");
        Assert.That((address.BlobEndpoint, address.Account, address.Container), Is.EqualTo((endpoint, account, container)));
    }

    [TestCase("acme/backups", "http(s) URL")]
    [TestCase("https://acme.blob.core.windows.net", "exactly one container")]
    [TestCase("http://azurite:10000/devstoreaccount1", "account and one container")]
    public void A_malformed_destination_path_is_refused_with_the_fix(string url, string why) =>
        Assert.That(() => StoreAddress.Parse(url, "RESTOREDRILLS_STORE_URL"), Throws.InstanceOf<InvalidSettingException>()
            .With.Message.Contains(why).And.Message.Contains("RESTOREDRILLS_STORE_URL").And.Message.Contains("https://<account>.blob.core.windows.net/<container>"));

    [Test]
    public void Missing_url_or_server_name_is_refused_with_what_to_set()
    {
        var noUrl = Minimal();
        noUrl.Remove("RESTOREDRILLS_STORE_URL");
        var noServer = Minimal();
        noServer.Remove("RESTOREDRILLS_SERVER_NAME");
        Assert.That(() => Read(noUrl), Throws.InstanceOf<InvalidSettingException>().With.Message.StartsWith("RESTOREDRILLS_STORE_URL is not set"));
        Assert.That(() => Read(noServer), Throws.InstanceOf<InvalidSettingException>().With.Message.StartsWith("RESTOREDRILLS_SERVER_NAME is not set"));
    }

    [Test]
    public void Exactly_one_credential_form_is_accepted_and_none_is_echoed()
    {
        var two = Minimal();
        two["RESTOREDRILLS_STORE_SAS_TOKEN"] = "sv=2024-01-01&sig=c2lnbmF0dXJl";
        var none = Minimal();
        none.Remove("RESTOREDRILLS_STORE_KEY");
        Assert.That(() => Read(two), Throws.InstanceOf<InvalidSettingException>().With.Message.Contains("(2 given)").And.Message.Not.Contains(Key));
        Assert.That(() => Read(none), Throws.InstanceOf<InvalidSettingException>().With.Message.Contains("(0 given)"));
    }

    [Test]
    public void Each_credential_form_becomes_a_connection_string_for_the_endpoint_it_is_used_at()
    {
        var container = StoreAddress.Parse("http://azurite:10000/devstoreaccount1/backups", "X");
        var host = StoreAddress.Parse("http://127.0.0.1:32770/devstoreaccount1/backups", "X");

        var key = Read(Minimal()).Credentials;
        var sas = Read(new() { ["RESTOREDRILLS_STORE_URL"] = host.DestinationPath, ["RESTOREDRILLS_SERVER_NAME"] = "s", ["RESTOREDRILLS_STORE_SAS_TOKEN"] = "?sv=2024&sig=abcdefgh" }).Credentials;
        var given = Read(new()
        {
            ["RESTOREDRILLS_STORE_URL"] = host.DestinationPath, ["RESTOREDRILLS_SERVER_NAME"] = "s",
            ["RESTOREDRILLS_STORE_CONNECTION_STRING"] = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={Key};BlobEndpoint=http://azurite:10000/devstoreaccount1;",
        }).Credentials;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(key.ConnectionStringFor(container), Is.EqualTo($"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={Key};BlobEndpoint=http://azurite:10000/devstoreaccount1;"));
            Assert.That(sas.ConnectionStringFor(host), Is.EqualTo("BlobEndpoint=http://127.0.0.1:32770/devstoreaccount1;SharedAccessSignature=sv=2024&sig=abcdefgh"));
            Assert.That(given.ConnectionStringFor(host), Is.EqualTo($"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={Key};BlobEndpoint=http://127.0.0.1:32770/devstoreaccount1;"));
            Assert.That((key.Form, sas.Form, given.Form), Is.EqualTo(("storage account key", "SAS token", "connection string")));
            Assert.That(SecretMasker.Apply($"key {Key} sig abcdefgh"), Does.Not.Contain(Key).And.Not.Contain("abcdefgh"));
        }
    }

    [TestCase("latest", RecoveryTargetKind.Latest, "")]
    [TestCase("immediate", RecoveryTargetKind.Immediate, "")]
    [TestCase("lsn:0/3000060", RecoveryTargetKind.Lsn, "0/3000060")]
    [TestCase("xid:1234", RecoveryTargetKind.Xid, "1234")]
    [TestCase("name:before-upgrade", RecoveryTargetKind.Name, "before-upgrade")]
    [TestCase("time:2026-11-25T01:30:00Z", RecoveryTargetKind.Time, "2026-11-25 01:30:00.000000+00:00")]
    public void Every_target_kind_is_accepted(string value, RecoveryTargetKind kind, string argument)
    {
        var target = StoreTarget.Parse(value);
        Assert.That((target.Kind, target.Value), Is.EqualTo(((RecoveryTargetKind?)kind, argument)));
    }

    [Test]
    public void Targets_that_need_a_backup_id_get_the_chosen_one()
    {
        Assert.That(StoreTarget.Parse("name:p1").For("B7"), Is.EqualTo(RecoveryTarget.Name("p1", "B7")));
        Assert.That(StoreTarget.Parse("immediate").For("B7"), Is.EqualTo(RecoveryTarget.Immediate("B7")));
        Assert.That(StoreTarget.Parse("latest").For("B7"), Is.EqualTo(RecoveryTarget.Latest()));
        Assert.That(StoreTarget.Parse("recorded").Recorded, Is.True);
    }

    [TestCase("soon", "unknown recovery target kind")]
    [TestCase("time", "needs a value")]
    [TestCase("latest:now", "takes no value")]
    [TestCase("time:yesterday", "not a timestamp")]
    [TestCase("lsn:42", "not an LSN")]
    public void A_malformed_target_is_refused(string value, string why) =>
        Assert.That(() => StoreTarget.Parse(value),
            Throws.InstanceOf<InvalidSettingException>().With.Message.Contains(why).And.Message.StartsWith("RESTOREDRILLS_STORE_TARGET="));

    [Test]
    public void Backup_choice_is_latest_an_id_or_before_a_time()
    {
        Assert.That(BackupChoice.Parse("20261125T010002").BackupId, Is.EqualTo("20261125T010002"));
        Assert.That(BackupChoice.Parse("before:2026-11-25T01:30:00Z").Before, Is.EqualTo(new DateTimeOffset(2026, 11, 25, 1, 30, 0, TimeSpan.Zero)));
        Assert.That(() => BackupChoice.Parse("before:then"), Throws.InstanceOf<InvalidSettingException>());
        Assert.That(() => BackupChoice.Parse("../etc"), Throws.InstanceOf<InvalidSettingException>());
    }

    [Test]
    public void Expectations_are_parsed_and_malformed_ones_refused()
    {
        var values = Minimal();
        values["RESTOREDRILLS_EXPECT_TABLES"] = "backup_test, public.orders";
        values["RESTOREDRILLS_EXPECT_CANONICAL_ROWS"] = "none";
        values["RESTOREDRILLS_EXPECT_MIN_ROWS"] = "public.orders=1000";
        values["RESTOREDRILLS_EXPECT_ROWS_MATCHING"] = "orders: total > 0; backup_test: name LIKE 'test_%'";
        values["RESTOREDRILLS_POSTGRES_IMAGES"] = "15=a:15, 16=b:16";
        var s = Read(values);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(s.Expectations.Tables, Is.EqualTo(new[] { "backup_test", "public.orders" }));
            Assert.That(s.Expectations.CanonicalRows, Is.Empty);
            Assert.That(s.Expectations.MinimumRows["public.orders"], Is.EqualTo(1000));
            Assert.That(s.Expectations.RowsMatching, Is.EqualTo(new[] { new RowPredicate("orders", "total > 0"), new RowPredicate("backup_test", "name LIKE 'test_%'") }));
            Assert.That(s.ImagesByMajor[16], Is.EqualTo("b:16"));
        }
        values["RESTOREDRILLS_EXPECT_MIN_ROWS"] = "orders";
        Assert.That(() => Read(values), Throws.InstanceOf<InvalidSettingException>().With.Message.Contains("<table>=<count>"));
        values["RESTOREDRILLS_EXPECT_MIN_ROWS"] = "orders=1";
        values["RESTOREDRILLS_EXPECT_ROWS_MATCHING"] = "orders";
        Assert.That(() => Read(values), Throws.InstanceOf<InvalidSettingException>().With.Message.Contains("<table>: <SQL condition>"));
    }

    /// <summary>Failed before: the default named only 15, so a PostgreSQL 17 or 18 store stopped the drill.</summary>
    [Test]
    public void By_default_each_major_the_project_builds_restores_into_its_image_and_the_runs_major_into_the_runs_image()
    {
        var values = new Dictionary<string, string> { ["RESTOREDRILLS_STORE_URL"] = "https://acct.blob.core.windows.net/backups", ["RESTOREDRILLS_SERVER_NAME"] = "pg-prod",
            ["RESTOREDRILLS_STORE_SAS_TOKEN"] = "sv=2024-11-04&sp=rl&sig=abc" };
        var reader = new SettingsReader(n => values.GetValueOrDefault(n), _ => null);
        Assert.Multiple(() =>
        {
            Assert.That(ExistingStoreSettings.Read(reader, "restoredrills/postgres:15").ImagesByMajor, Is.EquivalentTo(new Dictionary<int, string>
                { [15] = "restoredrills/postgres:15", [17] = "restoredrills/postgres:17", [18] = "restoredrills/postgres:18" }));
            Assert.That(ExistingStoreSettings.Read(reader, "registry.example/pg:16.4", 16).ImagesByMajor[16], Is.EqualTo("registry.example/pg:16.4"));
        });
    }
}
