namespace RestoreDrills.Drills;

/// <summary>
/// Tonight's source cannot hold this drill's target (e.g. too quiet: no WAL archived past a time or LSN the drill
/// may not write itself). Not a verdict on the backups, and never a false failure: the report shows the drill as not
/// run, with the reason.
/// </summary>
public sealed class NotDrillableException(string message) : Exception(message);
