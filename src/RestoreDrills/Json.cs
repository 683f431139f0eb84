using System.Text.Encodings.Web;
using System.Text.Json;

namespace RestoreDrills;

/// <summary>How the platform writes JSON evidence: indented, unescaped (so masking finds secrets as they are).</summary>
internal static class Json
{
    public static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
