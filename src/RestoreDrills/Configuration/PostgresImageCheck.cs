using System.Globalization;

namespace RestoreDrills.Configuration;

/// <summary>
/// An image must be what the run claims it is: a drill "before the upgrade to 17" that ran on 15 proves nothing about
/// 17. The major is checked against what the started server reports (server_version), barman-cloud by running it.
/// </summary>
public static class PostgresImageCheck
{
    /// <summary>The major of a server_version ("17.6 (Debian 17.6-1.pgdg13+1)" → 17, "9.6.24" → 9).</summary>
    public static int Major(string serverVersion)
    {
        var digits = new string(serverVersion.TrimStart().TakeWhile(char.IsAsciiDigit).ToArray());
        return digits.Length > 0 ? int.Parse(digits, CultureInfo.InvariantCulture)
            : throw new FormatException($"'{serverVersion}' is not a PostgreSQL server_version");
    }

    /// <summary>Why the image is not the one asked for, or null when it is (or when no major was asked for).</summary>
    public static string? Problem(string image, int? expectedMajor, string serverVersion) =>
        expectedMajor is { } expected && Major(serverVersion) != expected
            ? $"the image {image} runs PostgreSQL {serverVersion}, not {expected} as RESTOREDRILLS_POSTGRES_MAJOR (--postgres) asks: " +
              $"set RESTOREDRILLS_POSTGRES_IMAGE to an image of PostgreSQL {expected}, or leave it unset for the project's"
            : null;
}
