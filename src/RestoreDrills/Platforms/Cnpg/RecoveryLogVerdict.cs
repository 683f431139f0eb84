using System.Text.Json;

namespace RestoreDrills.Platforms.Cnpg;

/// <summary>
/// Why a full recovery failed, read from its pod's logs as CloudNative-PG writes them: the instance manager logs JSON
/// (zap: level, ts, msg, logger, error; docs/src/logging.md) and wraps each PostgreSQL log record in one (logger
/// "postgres", msg "record", the csvlog fields under "record": error_severity, message, ...; pkg/management/postgres/
/// logpipe), PostgreSQL's early stderr lines as msg text; plain-text lines (a PostgreSQL stderr log, a
/// script's output) are read as they are. PostgreSQL's own "recovery ended before configured recovery target was
/// reached" wins over any other line: a recovering server also logs FATALs for the connections it refuses.
/// </summary>
public static class RecoveryLogVerdict
{
    public const string TargetNotReachedMessage = "recovery ended before configured recovery target was reached";
    private static readonly string[] FailureSeverities = ["ERROR", "FATAL", "PANIC"];
    private static readonly string[] FailureLevels = ["error", "dpanic", "panic", "fatal"];

    /// <summary>The verdict of logs given in order of preference: the first with a failure line decides.</summary>
    public static (string? Line, bool TargetNotReached) Judge(IEnumerable<string> logs)
    {
        var read = logs.Select(log => log.Split('\n').Select(Read).OfType<LogLine>().ToList()).ToList();
        if (read.SelectMany(l => l).FirstOrDefault(l => l.TargetNotReached) is { } notReached) return (notReached.Text, true);
        return (read.Select(lines => lines.LastOrDefault(l => l.IsFailure)).FirstOrDefault(l => l is not null)?.Text, false);
    }

    private sealed record LogLine(string Text, bool IsFailure, bool TargetNotReached);

    private static LogLine? Read(string line)
    {
        var trimmed = line.Trim();
        if (trimmed.Length == 0) return null;
        if (trimmed.StartsWith('{') && Json(trimmed) is { } json) return json;
        return new LogLine(trimmed, trimmed.Contains("FATAL", StringComparison.Ordinal) || trimmed.Contains("ERROR", StringComparison.Ordinal),
            trimmed.Contains(TargetNotReachedMessage, StringComparison.Ordinal));
    }

    private static LogLine? Json(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return null;
            if (root.TryGetProperty("record", out var record) && record.ValueKind == JsonValueKind.Object)
            {
                var severity = Text(record, "error_severity");
                var message = Text(record, "message");
                return new LogLine($"{severity}:  {message}", FailureSeverities.Contains(severity, StringComparer.Ordinal),
                    message.Contains(TargetNotReachedMessage, StringComparison.Ordinal));
            }
            var (msg, error) = (Text(root, "msg"), Text(root, "error"));
            var text = error.Length > 0 ? $"{msg}: {error}" : msg;
            // PostgreSQL's stderr before the csvlog collector starts comes as msg text ("... FATAL:  ..."), at level info.
            var failure = FailureLevels.Contains(Text(root, "level"), StringComparer.Ordinal) || FailureSeverities.Any(f => msg.Contains(f + ":", StringComparison.Ordinal));
            return new LogLine(text, failure, text.Contains(TargetNotReachedMessage, StringComparison.Ordinal));
        }
        catch (JsonException)
        {
            return null; // not JSON after all: read as plain text
        }
    }

    private static string Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) ? value.ValueKind == JsonValueKind.String ? value.GetString() ?? "" : value.GetRawText() : "";
}
