using System.Globalization;
using RestoreDrills.Backups;

namespace RestoreDrills.Inventory;

/// <summary>
/// A timeline as its history file declares it: forked from its parent at a WAL position. The file
/// "0000000N.history" lists every ancestor, one "parent-timeline  switch-point  reason" line each; the last is N's own fork.
/// </summary>
public sealed record TimelineFork(uint Timeline, uint Parent, WalPosition ForkPoint, string File)
{
    /// <summary>Parses a history file's text; its own timeline comes from the file name (00000002.history[.gz]).</summary>
    public static TimelineFork Parse(string file, string text) => TimelineHistory.Parse(file, text).Forks[^1];

    /// <summary>The timeline a history file is of, from its name: 8 hex digits, then .history.</summary>
    public static uint TimelineOf(string file)
    {
        var stem = Path.GetFileName(file).Split('.')[0];
        if (stem.Length != 8 || !uint.TryParse(stem, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var timeline))
            throw new FormatException($"{file}: not a history file name (8 hex digits, then .history)");
        return timeline;
    }

    /// <summary>One line of a history file: its parent ended at the switch point, where <paramref name="child"/> begins.</summary>
    public static TimelineFork ParseLine(string file, string line, uint child)
    {
        var fields = line.Split(['\t', ' '], 3, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 2 || !uint.TryParse(fields[0], CultureInfo.InvariantCulture, out var parent))
            throw new FormatException($"{file}: '{line}' is not 'parent timeline, switch point, reason'");
        WalPosition fork;
        try
        {
            fork = WalPosition.Parse(fields[1]);
        }
        catch (FormatException)
        {
            throw new FormatException($"{file}: '{fields[1]}' is not a WAL position");
        }
        if (parent >= child) throw new FormatException($"{file}: timeline {child} cannot fork from timeline {parent}");
        return new TimelineFork(child, parent, fork, file);
    }

    public override string ToString() => $"timeline {Timeline} forks from timeline {Parent} at {ForkPoint} ({File})";
}
