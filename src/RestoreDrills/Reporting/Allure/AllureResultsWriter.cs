using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using RestoreDrills.Secrets;

namespace RestoreDrills.Reporting.Allure;

/// <summary>
/// Writes Allure result files into one folder: results, attachments, environment.properties,
/// executor.json, categories.json. The one place that knows the file format. Everything written is masked
/// (<see cref="SecretMasker"/>).
/// </summary>
public sealed class AllureResultsWriter
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        // Keeps '+', '&', '=' as they are, so a key or SAS token in any field is still found by the masking that
        // runs on the serialised text (the default encoder would write \u002B and \u0026).
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        WriteIndented = true,
    };

    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    public AllureResultsWriter(string directory)
    {
        Directory.CreateDirectory(directory);
        ResultsDirectory = directory;
    }

    public string ResultsDirectory { get; }

    public void WriteResult(AllureResult result) => WriteJson($"{result.Uuid}-result.json", result);

    /// <summary>Writes an attachment file (Allure 3 accepts only names ending in -attachment.ext) and returns its entry.</summary>
    public AllureAttachment WriteAttachment(string name, string content, string mimeType, string extension)
    {
        var source = $"{Guid.NewGuid()}-attachment.{extension}";
        File.WriteAllText(Path.Combine(ResultsDirectory, source), SecretMasker.Apply(content), Utf8);
        return new AllureAttachment(name, source, mimeType);
    }

    public void WriteEnvironment(IReadOnlyDictionary<string, string> properties) =>
        WriteText("environment.properties", string.Concat(properties.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => $"{Escape(p.Key)}={Escape(p.Value)}\n")));

    public void WriteExecutor(AllureExecutor executor) => WriteJson("executor.json", executor);

    public void WriteCategories(IReadOnlyList<AllureCategory> categories) => WriteJson("categories.json", categories);

    /// <summary>
    /// The id both Allure CLIs key history on: md5 of the stable full name (which must carry no run-specific
    /// values) plus the non-excluded parameters, sorted.
    /// </summary>
    public static string HistoryId(string fullName, IEnumerable<AllureParameter> parameters)
    {
        var kept = parameters.Where(p => p.Excluded != true).OrderBy(p => p.Name, StringComparer.Ordinal)
            .Select(p => $"{p.Name}:{p.Value}");
        return Md5(fullName + "|" + string.Join(",", kept));
    }

    public static string Md5(string text) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));

    public static long EpochMs(DateTimeOffset at) => at.ToUnixTimeMilliseconds();

    private void WriteJson<T>(string file, T value) => WriteText(file, JsonSerializer.Serialize(value, Json));

    private void WriteText(string file, string text)
    {
        // Write then rename: a report generated while a drill runs never reads half a file.
        var path = Path.Combine(ResultsDirectory, file);
        var temp = path + ".tmp";
        File.WriteAllText(temp, SecretMasker.Apply(text), Utf8);
        File.Move(temp, path, overwrite: true);
    }

    private static string Escape(string value) =>
        value.Replace("\\", "\\\\").Replace("\n", "\\n").Replace("=", "\\=").Replace(":", "\\:");
}
