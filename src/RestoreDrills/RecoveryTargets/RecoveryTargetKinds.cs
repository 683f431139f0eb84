namespace RestoreDrills.RecoveryTargets;

/// <summary>Names of the target kinds as drills, settings and manifests spell them.</summary>
public static class RecoveryTargetKinds
{
    public static string Id(this RecoveryTargetKind kind) => kind.ToString().ToLowerInvariant();

    public static RecoveryTargetKind Parse(string value) =>
        Enum.TryParse<RecoveryTargetKind>(value, ignoreCase: true, out var kind) && Enum.IsDefined(kind)
            ? kind
            : throw new ArgumentException(
                $"unknown recovery target kind '{value}': use one of {string.Join(", ", Enum.GetValues<RecoveryTargetKind>().Select(k => k.Id()))}");
}
