using System.Text.Json;

namespace RestoreDrills.Tests.Cnpg;

/// <summary>
/// YAML read as kubectl and the API server read it (sigs.k8s.io/yaml on go-yaml v2, YAML 1.1 types): the expected
/// values are what go-yaml v2's resolver gives for a plain scalar.
/// </summary>
public sealed class YamlJsonTests
{
    [TestCase("on", true)]
    [TestCase("On", true)]
    [TestCase("ON", true)]
    [TestCase("yes", true)]
    [TestCase("Yes", true)]
    [TestCase("YES", true)]
    [TestCase("y", true)]
    [TestCase("Y", true)]
    [TestCase("true", true)]
    [TestCase("True", true)]
    [TestCase("TRUE", true)]
    [TestCase("off", false)]
    [TestCase("Off", false)]
    [TestCase("OFF", false)]
    [TestCase("no", false)]
    [TestCase("No", false)]
    [TestCase("NO", false)]
    [TestCase("n", false)]
    [TestCase("N", false)]
    [TestCase("false", false)]
    [TestCase("False", false)]
    [TestCase("FALSE", false)]
    public void A_plain_YAML_1_1_boolean_is_a_boolean(string plain, bool expected) =>
        Assert.That(Value(plain).GetValue<bool>(), Is.EqualTo(expected));

    [TestCase("oN")]
    [TestCase("yES")]
    [TestCase("tRUE")]
    [TestCase("enabled")]
    [TestCase("nope")]
    public void Other_spellings_stay_strings(string plain) => Assert.That(Value(plain).GetValue<string>(), Is.EqualTo(plain));

    [TestCase("\"on\"")]
    [TestCase("'on'")]
    [TestCase("!!str on")]
    [TestCase("\"1\"")]
    [TestCase("'0755'")]
    public void A_quoted_or_str_tagged_scalar_stays_a_string(string yaml) =>
        Assert.That(Value(yaml).GetValueKind(), Is.EqualTo(JsonValueKind.String));

    [Test]
    public void A_block_scalar_stays_a_string() =>
        Assert.That(YamlJson.Parse("v: |\n  on\n")!["v"]!.GetValue<string>(), Is.EqualTo("on\n"));

    [TestCase("~")]
    [TestCase("null")]
    [TestCase("Null")]
    [TestCase("NULL")]
    [TestCase("")]
    public void A_plain_null_is_null(string plain)
    {
        var map = YamlJson.Parse($"v: {plain}\n")!.AsObject();
        Assert.That(map.ContainsKey("v"), Is.True);
        Assert.That(map["v"], Is.Null);
    }

    [TestCase("42", 42L)]
    [TestCase("-7", -7L)]
    [TestCase("+5", 5L)]
    [TestCase("0", 0L)]
    [TestCase("-0", 0L)]
    [TestCase("0755", 493L)]
    [TestCase("0o17", 15L)]
    [TestCase("0x1F", 31L)]
    [TestCase("0X1f", 31L)]
    [TestCase("0b101", 5L)]
    [TestCase("-0b101", -5L)]
    [TestCase("1_000", 1000L)]
    [TestCase("9223372036854775807", long.MaxValue)]
    [TestCase("-9223372036854775808", long.MinValue)]
    public void A_plain_integer_reads_as_Go_source_reads_it(string plain, long expected) =>
        Assert.That(Value(plain).GetValue<long>(), Is.EqualTo(expected));

    [Test]
    public void An_integer_beyond_signed_64_bits_is_unsigned_and_beyond_that_a_float()
    {
        Assert.That(Value("18446744073709551615").GetValue<ulong>(), Is.EqualTo(ulong.MaxValue));
        Assert.That(Value("18446744073709551616").GetValue<double>(), Is.EqualTo(18446744073709551616d));
        Assert.That(Value("+18446744073709551615").GetValue<double>(), Is.EqualTo(18446744073709551615d), "no sign on the unsigned fallback");
    }

    [TestCase("1.5", 1.5)]
    [TestCase("-2.5e3", -2500d)]
    [TestCase("1e3", 1000d)]
    [TestCase(".5", 0.5)]
    [TestCase("1.", 1d)]
    [TestCase("08", 8d)] // not octal (8 is no octal digit): go-yaml falls through to a float
    [TestCase("1_0.5", 10.5)]
    public void A_plain_float_is_a_number(string plain, double expected) =>
        Assert.That(Value(plain).GetValue<double>(), Is.EqualTo(expected));

    [TestCase("2026-11-25")]
    [TestCase("2026-11-25T18:34:40Z")]
    [TestCase("0 0 1 * * *")]
    [TestCase("1Gi")]
    [TestCase("0x")]
    [TestCase("0xG")]
    [TestCase("1e400")]
    [TestCase("+-1")]
    [TestCase(".")]
    [TestCase("-.nan")]
    public void Anything_else_stays_the_string_it_is(string plain) => Assert.That(Value(plain).GetValue<string>(), Is.EqualTo(plain));

    [TestCase(".nan")]
    [TestCase(".inf")]
    [TestCase("-.Inf")]
    public void Not_a_number_or_infinity_is_refused_as_kubectl_refuses_it(string plain) =>
        Assert.Throws<FormatException>(() => Value(plain));

    [Test]
    public void A_plain_key_is_resolved_and_written_back_as_text()
    {
        var map = YamlJson.Parse("on: 1\nno: 2\n0x10: 3\nname: 4\n\"off\": 5\n")!.AsObject();
        Assert.That(map.Select(p => p.Key), Is.EqualTo(new[] { "true", "false", "16", "name", "off" }));
    }

    [Test]
    public void A_null_key_is_refused() => Assert.Throws<FormatException>(() => YamlJson.Parse("~: 1\n"));

    private static JsonNode Value(string yaml) => YamlJson.Parse($"v: {yaml}\n")!["v"]!;
}
