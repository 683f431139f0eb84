using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace RestoreDrills.Platforms.Cnpg.Manifests;

/// <summary>
/// What a plain (unquoted) YAML scalar means to the Kubernetes tooling: kubectl and the API server read YAML with
/// sigs.k8s.io/yaml on go-yaml v2, whose types are YAML 1.1's. So y/yes/on/true and n/no/off/false (each lower
/// case, capitalised or upper case) are booleans, `0755` is octal, `0x1F` hex, `1_000` a thousand; a timestamp stays
/// the string it is. A YAML 1.2 reader takes `reusePVC: on` for the string "on", which the CRD's boolean rejects,
/// though the API server admits it.
/// </summary>
public static partial class PlainScalars
{
    /// <summary>The JSON value of a plain scalar.</summary>
    public static JsonNode? Resolve(string text)
    {
        if (Booleans.TryGetValue(text, out var boolean)) return JsonValue.Create(boolean);
        if (text is "" or "~" or "null" or "Null" or "NULL") return null;
        if (text is ".nan" or ".NaN" or ".NAN" || InfinityPattern().IsMatch(text))
            throw new FormatException($"the YAML number {text} has no JSON form (kubectl refuses it as well)");
        if (text[0] == '.')
            return FractionPattern().IsMatch(text) && Double(text) is { } fraction ? JsonValue.Create(fraction) : JsonValue.Create(text);
        if (!char.IsAsciiDigit(text[0]) && text[0] is not ('+' or '-')) return JsonValue.Create(text);

        // go-yaml drops underscores, then reads an integer as Go source does (0x, 0o, 0b and a leading 0 for octal).
        var digits = text.Replace("_", "", StringComparison.Ordinal);
        if (Integer(digits) is { } integer) return integer;
        if (FloatPattern().IsMatch(digits) && Double(digits) is { } number) return JsonValue.Create(number);
        return JsonValue.Create(text);
    }

    /// <summary>
    /// A plain mapping key as JSON names it: go-yaml resolves keys as it resolves values and sigs.k8s.io/yaml writes
    /// them back as text, so the key `on` is "true" and `0x10` is "16". Float keys keep their text (go-yaml would
    /// reformat them; no manifest has one).
    /// </summary>
    public static string Key(string text) => Resolve(text) switch
    {
        null => throw new FormatException($"the YAML key '{text}' is null, which JSON cannot name (kubectl refuses it as well)"),
        JsonValue v when v.TryGetValue<bool>(out var b) => b ? "true" : "false",
        JsonValue v when v.TryGetValue<long>(out var l) => l.ToString(CultureInfo.InvariantCulture),
        JsonValue v when v.TryGetValue<ulong>(out var u) => u.ToString(CultureInfo.InvariantCulture),
        _ => text,
    };

    private static readonly Dictionary<string, bool> Booleans = new(StringComparer.Ordinal)
    {
        ["y"] = true, ["Y"] = true, ["yes"] = true, ["Yes"] = true, ["YES"] = true,
        ["true"] = true, ["True"] = true, ["TRUE"] = true,
        ["on"] = true, ["On"] = true, ["ON"] = true,
        ["n"] = false, ["N"] = false, ["no"] = false, ["No"] = false, ["NO"] = false,
        ["false"] = false, ["False"] = false, ["FALSE"] = false,
        ["off"] = false, ["Off"] = false, ["OFF"] = false,
    };

    /// <summary>Go's integer syntax (strconv.ParseInt with base 0), as a signed 64-bit value, else unsigned; null when neither.</summary>
    private static JsonNode? Integer(string digits)
    {
        var sign = digits[0] is '+' or '-' ? digits[0] : ' ';
        var unsigned = sign == ' ' ? digits : digits[1..];
        var (radix, body) = unsigned switch
        {
            ['0', 'x' or 'X', .. var rest] => (16, rest),
            ['0', 'o' or 'O', .. var rest] => (8, rest),
            ['0', 'b' or 'B', .. var rest] => (2, rest),
            ['0', _, ..] => (8, unsigned[1..]),
            _ => (10, unsigned),
        };
        if (body.Length == 0 || !body.All(c => DigitValue(c) < radix)) return null;
        UInt128 magnitude = 0;
        foreach (var c in body)
        {
            magnitude = magnitude * (uint)radix + (uint)DigitValue(c);
            if (magnitude > ulong.MaxValue) return null;
        }
        if (sign == '-')
        {
            if (magnitude == 0) return JsonValue.Create(0L);
            return magnitude - 1 <= long.MaxValue ? JsonValue.Create(-(long)(magnitude - 1) - 1) : null;
        }
        if (magnitude <= long.MaxValue) return JsonValue.Create((long)magnitude);
        // Beyond a signed 64-bit value go-yaml tries an unsigned one (strconv.ParseUint), which takes no sign.
        return sign == '+' ? null : JsonValue.Create((ulong)magnitude);
    }

    private static int DigitValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => int.MaxValue,
    };

    /// <summary>A finite double; null when out of range (Go's ParseFloat fails there, so the scalar stays a string).</summary>
    private static double? Double(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) ? d : null;

    [GeneratedRegex(@"^[-+]?\.(inf|Inf|INF)$")]
    private static partial Regex InfinityPattern();

    [GeneratedRegex(@"^\.[0-9]+([eE][-+]?[0-9]+)?$")]
    private static partial Regex FractionPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();
}
