using System.Globalization;

namespace RestoreDrills.Backups;

/// <summary>A PostgreSQL LSN ("16/B374D848"), comparable.</summary>
public readonly record struct WalPosition(ulong Value) : IComparable<WalPosition>
{
    public static WalPosition Parse(string lsn)
    {
        var parts = lsn.Split('/');
        if (parts.Length != 2
            || !uint.TryParse(parts[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var high)
            || !uint.TryParse(parts[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var low))
            throw new FormatException($"'{lsn}' is not an LSN (expected the form 16/B374D848)");
        return new WalPosition(((ulong)high << 32) | low);
    }

    public int CompareTo(WalPosition other) => Value.CompareTo(other.Value);
    public static bool operator <(WalPosition a, WalPosition b) => a.Value < b.Value;
    public static bool operator >(WalPosition a, WalPosition b) => a.Value > b.Value;
    public static bool operator <=(WalPosition a, WalPosition b) => a.Value <= b.Value;
    public static bool operator >=(WalPosition a, WalPosition b) => a.Value >= b.Value;
    public override string ToString() => $"{Value >> 32:X}/{Value & 0xFFFFFFFF:X}";
}
