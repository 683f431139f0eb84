using System.Globalization;
using RestoreDrills.Failures;

namespace RestoreDrills.Configuration;

/// <summary>
/// Reads named settings: the environment wins over nunit.runsettings (TestRunParameters), which wins over the
/// default. One name everywhere (e.g. RESTOREDRILLS_RTO_BUDGET_SECONDS), so a pipeline can override any of them.
/// Malformed values fail at once with the setting's name and the fix, before any drill work starts.
/// </summary>
public sealed class SettingsReader(Func<string, string?> runSettings, Func<string, string?>? environment = null)
{
    private readonly Func<string, string?> _environment = environment ?? Environment.GetEnvironmentVariable;

    public string? Raw(string name)
    {
        var value = _environment(name);
        if (string.IsNullOrWhiteSpace(value) || IsUnexpandedMacro(value, name)) value = runSettings(name);
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    /// <summary>A setting the drill cannot run without: its name, why it is needed, and why it may be missing.</summary>
    public string Required(string name, string need) =>
        Raw(name) ?? throw new InvalidSettingException($"{name} is not set{(IsUnexpandedMacro(_environment(name), name) ? $" (it arrived as the literal '$({name})': Azure Pipelines passes a variable that neither the pipeline nor its variable group defines that way)" : "")}: {need}");

    /// <summary>Azure Pipelines hands a variable nobody defined to a step's env as the literal text "$(NAME)": that is unset.</summary>
    private static bool IsUnexpandedMacro(string? value, string name) => value?.Trim() == $"$({name})";

    public string String(string name, string defaultValue) => Raw(name) ?? defaultValue;

    public int Int(string name, int defaultValue, int min = int.MinValue)
    {
        var raw = Raw(name);
        if (raw is null) return defaultValue;
        if (!int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min)
            throw new InvalidSettingException($"{name}='{raw}' is not a whole number >= {min}: set it to e.g. {defaultValue} in nunit.runsettings or the environment.");
        return value;
    }

    public TimeSpan Seconds(string name, double defaultSeconds)
    {
        var raw = Raw(name);
        if (raw is null) return TimeSpan.FromSeconds(defaultSeconds);
        if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value <= 0 || double.IsInfinity(value))
            throw new InvalidSettingException($"{name}='{raw}' is not a positive number of seconds: set it to e.g. {defaultSeconds.ToString(CultureInfo.InvariantCulture)} in nunit.runsettings or the environment.");
        return TimeSpan.FromSeconds(value);
    }
}
