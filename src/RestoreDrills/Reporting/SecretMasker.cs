using System.Collections.Concurrent;

namespace RestoreDrills.Reporting;

/// <summary>
/// Keeps secrets (account keys, SAS tokens, passwords, connection strings) out of everything a drill writes:
/// progress lines, exception messages, report attachments. A secret is registered where it enters the
/// process; every writer masks through here.
/// </summary>
public static class SecretMasker
{
    public const string Mask = "[secret]";
    private static readonly ConcurrentDictionary<string, byte> Secrets = new();

    /// <summary>Registers a secret. Values shorter than 6 characters are refused: masking them would shred text.</summary>
    public static string Register(string secret)
    {
        if (secret.Length < 6) throw new ArgumentException("a secret shorter than 6 characters cannot be masked reliably: use a longer one");
        Secrets.TryAdd(secret, 0);
        return secret;
    }

    public static string Apply(string text)
    {
        // Longest first, so a connection string is masked whole rather than around its key.
        foreach (var secret in Secrets.Keys.OrderByDescending(s => s.Length))
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        return text;
    }
}
