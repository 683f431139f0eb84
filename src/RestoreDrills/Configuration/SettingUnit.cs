namespace RestoreDrills.Configuration;

/// <summary>What a setting's value is: the reader parses durations in their unit.</summary>
public enum SettingUnit { Text, Path, Choice, Flag, Count, Milliseconds, Seconds, Hours }
