using System.Globalization;
using RestoreDrills.Failures;

namespace RestoreDrills.Configuration;

/// <summary>
/// Reads named settings: the environment wins over nunit.runsettings (TestRunParameters), which wins over the
/// default. Each setting is a row of <see cref="SettingsTable"/>: one name everywhere, so a pipeline can override any of them.
/// Malformed values fail at once with the setting's name and the fix, before any drill work starts.
/// </summary>
public sealed class SettingsReader(Func<string, string?> runSettings, Func<string, string?>? environment = null)
{
    private readonly Func<string, string?> _environment = environment ?? Environment.GetEnvironmentVariable;

    /// <summary>A reader that sees no run settings and no environment: every setting at the table's default.</summary>
    public static SettingsReader Defaults { get; } = new(_ => null, _ => null);

    /// <summary>The value a run gives, or null when it gives none (the default then applies).</summary>
    public string? Raw(Setting setting)
    {
        var value = _environment(setting.Name);
        if (string.IsNullOrWhiteSpace(value) || IsUnexpandedMacro(value, setting.Name)) value = runSettings(setting.Name);
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    /// <summary>A setting the drill cannot run without: its name, why it is needed, and why it may be missing.</summary>
    public string Required(Setting setting, string need) =>
        Raw(setting) ?? throw new InvalidSettingException($"{setting.Name} is not set{(IsUnexpandedMacro(_environment(setting.Name), setting.Name) ? $" (it arrived as the literal '$({setting.Name})': Azure Pipelines passes a variable that neither the pipeline nor its variable group defines that way)" : "")}: {need}");

    /// <summary>Azure Pipelines hands a variable nobody defined to a step's env as the literal text "$(NAME)": that is unset.</summary>
    private static bool IsUnexpandedMacro(string? value, string name) => value?.Trim() == $"$({name})";

    /// <summary>The text given, else the table's default, else <paramref name="derived"/> (a default known only at run time).</summary>
    public string String(Setting setting, string? derived = null) =>
        Raw(setting) ?? (setting.Default.Length > 0 ? setting.Default : derived ?? "");

    public int Int(Setting setting, int min = int.MinValue)
    {
        var raw = Raw(setting);
        if (raw is null) return setting.DefaultInt;
        if (!int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min)
            throw new InvalidSettingException($"{setting.Name}='{raw}' is not a whole number >= {min}: set it to e.g. {setting.Default} in nunit.runsettings or the environment.");
        return value;
    }

    /// <summary>A duration in the setting's unit (seconds, milliseconds or hours): positive and finite.</summary>
    public TimeSpan Duration(Setting setting)
    {
        var raw = Raw(setting);
        if (raw is null) return setting.DefaultDuration;
        if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value <= 0 || double.IsInfinity(value))
            throw new InvalidSettingException($"{setting.Name}='{raw}' is not a positive number of {setting.Unit.ToString().ToLowerInvariant()}: set it to e.g. {setting.Default} in nunit.runsettings or the environment.");
        return setting.Duration(raw);
    }

    public bool Flag(Setting setting) => Raw(setting)?.ToLowerInvariant() switch
    {
        null => setting.DefaultBool,
        "true" or "1" or "yes" => true,
        "false" or "0" or "no" => false,
        var raw => throw new InvalidSettingException($"{setting.Name}='{raw}' is not true or false: set it to {setting.Default} in nunit.runsettings or the environment."),
    };

    /// <summary>One of the named choices (case-insensitive); the table's default is one of them.</summary>
    public T Choice<T>(Setting setting, params (string Name, T Value)[] choices)
    {
        var raw = Raw(setting) ?? setting.Default;
        foreach (var (name, value) in choices)
            if (string.Equals(name, raw, StringComparison.OrdinalIgnoreCase)) return value;
        throw new InvalidSettingException($"{setting.Name}='{raw}' is not one of {string.Join(", ", choices.Select(c => c.Name))}: set one in nunit.runsettings or the environment.");
    }
}
