namespace RestoreDrills.Failures;

/// <summary>A setting is missing or malformed. The message names the setting and the fix, in one line.</summary>
public sealed class InvalidSettingException(string message) : Exception(message);
