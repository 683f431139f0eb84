using System.Globalization;

namespace RestoreDrills.Inventory;

/// <summary>
/// A WAL segment file name, "000000010000000A000000FF": timeline, log and segment, each 8 hex digits.
/// Segments are numbered within a log of 4 GiB, so how many a log holds depends on the segment size.
/// </summary>
public readonly record struct WalSegmentName(uint Timeline, uint Log, uint Segment)
{
    public const long DefaultSegmentSize = 16 * 1024 * 1024;

    public static bool TryParse(string name, out WalSegmentName segment)
    {
        segment = default;
        if (name.Length != 24 || !name.All(char.IsAsciiHexDigit)) return false;
        segment = new WalSegmentName(Hex(name[..8]), Hex(name[8..16]), Hex(name[16..]));
        return true;
    }

    public static WalSegmentName Parse(string name) =>
        TryParse(name, out var segment) ? segment : throw new FormatException($"'{name}' is not a WAL segment name (24 hex digits)");

    /// <summary>The segment an LSN lies in, on a timeline.</summary>
    public static WalSegmentName Containing(uint timeline, ulong lsn, long segmentSize = DefaultSegmentSize) =>
        FromOrdinal(timeline, (long)(lsn / (ulong)segmentSize), segmentSize);

    /// <summary>The segment's position on its timeline, counting from 0: comparable, and +1 is the next segment.</summary>
    public long Ordinal(long segmentSize = DefaultSegmentSize) => Log * SegmentsPerLog(segmentSize) + Segment;

    public static WalSegmentName FromOrdinal(uint timeline, long ordinal, long segmentSize = DefaultSegmentSize)
    {
        var perLog = SegmentsPerLog(segmentSize);
        return new WalSegmentName(timeline, (uint)(ordinal / perLog), (uint)(ordinal % perLog));
    }

    /// <summary>The LSN of the segment's first byte.</summary>
    public ulong StartLsn(long segmentSize = DefaultSegmentSize) => ((ulong)Log << 32) + (ulong)(Segment * segmentSize);

    /// <summary>The segment after this one on the same timeline (past a log's last segment: the next log's first).</summary>
    public WalSegmentName Next(long segmentSize = DefaultSegmentSize) => FromOrdinal(Timeline, Ordinal(segmentSize) + 1, segmentSize);

    public static long SegmentsPerLog(long segmentSize) => 0x1_0000_0000L / segmentSize;

    public override string ToString() => $"{Timeline:X8}{Log:X8}{Segment:X8}";

    private static uint Hex(string digits) => uint.Parse(digits, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
}
