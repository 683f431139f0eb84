namespace RestoreDrills.Reporting.Allure;

/// <summary>A parameter; <see cref="Excluded"/> keeps run-specific values (timestamps, ids) out of the history key.</summary>
public sealed record AllureParameter(string Name, string Value, bool? Excluded = null);
