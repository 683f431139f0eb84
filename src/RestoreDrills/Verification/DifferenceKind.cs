namespace RestoreDrills.Verification;

/// <summary>How a restored row differs from the source at the target.</summary>
public enum DifferenceKind { Missing, Extra, Changed }
