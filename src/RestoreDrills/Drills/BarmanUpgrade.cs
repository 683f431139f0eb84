namespace RestoreDrills.Drills;

/// <summary>
/// The upgrade question a drill asks: does the barman-cloud of <paramref name="RestoringImage"/> restore what the
/// barman-cloud of <paramref name="WritingImage"/> wrote? The source runs the writing image; the restored server runs the
/// same image (a backup restores only into its own PostgreSQL major) with the restoring image's barman-cloud beside it.
/// </summary>
public sealed record BarmanUpgrade(string WritingImage, string RestoringImage)
{
    /// <summary>Between the project's own images of two majors (restoredrills/postgres:N, built by the scripts).</summary>
    public static BarmanUpgrade Between(int writingMajor, int restoringMajor) =>
        new($"restoredrills/postgres:{writingMajor}", $"restoredrills/postgres:{restoringMajor}");

    public override string ToString() => $"{WritingImage} -> barman-cloud of {RestoringImage}";
}
