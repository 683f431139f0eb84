namespace RestoreDrills.Configuration;

/// <summary>Where a run sets a setting.</summary>
public enum SettingScope
{
    /// <summary>A TestRunParameter in nunit.runsettings; the environment wins over it.</summary>
    RunSettings,

    /// <summary>Not in nunit.runsettings: a secret, what a CI system or script hands the run, or a mode's own settings (the existing-store drill's), given in the environment.</summary>
    Environment,

    /// <summary>Read by the scripts, the project's own tests or the tools they run, not by a drill.</summary>
    Scripts,

    /// <summary>A wait inside a step: the code reads it from the table, no run changes it.</summary>
    Fixed,
}
