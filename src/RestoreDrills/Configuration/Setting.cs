using System.Globalization;

namespace RestoreDrills.Configuration;

/// <summary>
/// One row of <see cref="SettingsTable"/>: the name (the environment variable and the nunit.runsettings parameter),
/// the default as the runsettings file writes it ("" when there is none or it is derived, see <see cref="Meaning"/>),
/// its unit, what it means, and where a run sets it.
/// </summary>
public sealed record Setting(string Name, string Default, SettingUnit Unit, SettingScope Scope, string Meaning)
{
    /// <summary>The default as a duration, for a setting in seconds, milliseconds or hours.</summary>
    public TimeSpan DefaultDuration => Duration(Default);

    /// <summary>The default duration in whole seconds (what Npgsql's timeouts take).</summary>
    public int DefaultWholeSeconds => (int)DefaultDuration.TotalSeconds;

    public int DefaultInt => int.Parse(Default, NumberStyles.Integer, CultureInfo.InvariantCulture);

    public bool DefaultBool => bool.Parse(Default);

    /// <summary>The setting from the process environment alone, for code that runs before (or without) the test run's settings.</summary>
    public string? FromEnvironment() => Environment.GetEnvironmentVariable(Name) is { Length: > 0 } value ? value.Trim() : null;

    internal TimeSpan Duration(string value)
    {
        var number = double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture);
        return Unit switch
        {
            SettingUnit.Milliseconds => TimeSpan.FromMilliseconds(number),
            SettingUnit.Seconds => TimeSpan.FromSeconds(number),
            SettingUnit.Hours => TimeSpan.FromHours(number),
            _ => throw new InvalidOperationException($"{Name} is not a duration ({Unit})"),
        };
    }

    public override string ToString() => Name;
}
