using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace RestoreDrills.Secrets;

/// <summary>
/// Keeps secrets (account keys, SAS tokens, passwords, connection strings) out of everything a drill writes:
/// progress lines, exception messages, report attachments. A secret is registered where it enters the
/// process; every writer masks through here. Secrets the drill never held are masked by their shape, for text that
/// other programs wrote (a pod's log, barman-cloud's errors): an Azure AccountKey or SharedAccessSignature in a
/// connection string, a SAS token's signature, the password in a URI.
/// </summary>
public static partial class SecretMasker
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
        return ByShape().Replace(text, m => m.Groups["before"].Value + Mask);
    }

    /// <summary>What precedes a secret in the shapes it takes: AccountKey= / SharedAccessSignature= (connection strings), sig= (a SAS token), user: in scheme://user:password@.</summary>
    [GeneratedRegex(@"(?<before>\b(?:AccountKey|SharedAccessSignature)=|[?&]sig=)(?!\[secret\])[^;&\s""'<>]+|(?<before>://[^:/@\s""']+:)(?!\[secret\])[^@/\s""']+(?=@)",
        RegexOptions.IgnoreCase)]
    private static partial Regex ByShape();
}
