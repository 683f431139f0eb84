namespace RestoreDrills.Tests.Configuration;

/// <summary>
/// The PostgreSQL majors the project builds are listed twice, once per language: ExistingStoreSettings.ProjectMajors
/// for the drills, RD_POSTGRES_MAJORS in scripts/lib/images.sh for the image builds. They must not drift apart: a
/// major in one list only is an image never built, or one built and never drilled.
/// </summary>
[TestFixture]
public sealed class PostgresMajorsTests
{
    private static readonly TimeSpan ShellLimit = TimeSpan.FromSeconds(30);

    [Test]
    public async Task The_scripts_build_exactly_the_majors_the_drills_know_each_from_its_debian_suite()
    {
        var run = await ImagesShellAsync("""for m in "${RD_POSTGRES_MAJORS[@]}"; do echo "$m $(rd_suite_for_major "$m")"; done""");
        var lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.Zero, run.Stderr);
            Assert.That(lines.Select(l => int.Parse(l[0], System.Globalization.CultureInfo.InvariantCulture)).ToArray(), Is.EqualTo(ExistingStoreSettings.ProjectMajors.ToArray()));
            Assert.That(lines, Has.All.Matches<string[]>(l => l.Length == 2 && l[1].Length > 0), "every major has the Debian suite it is built from");
        });
    }

    [Test]
    public void The_barman_cloud_upgrades_run_between_the_projects_majors() =>
        Assert.That(DrillCatalog.BarmanUpgrades.SelectMany(u => new[] { u.WritingMajor, u.RestoringMajor }).Distinct().ToArray(),
            Is.SubsetOf(ExistingStoreSettings.ProjectMajors));

    [Test]
    public async Task A_postgres_major_that_is_not_a_number_names_the_projects_majors()
    {
        var run = await ImagesShellAsync("RESTOREDRILLS_POSTGRES_MAJOR=seventeen rd_use_postgres_major");
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.Not.Zero);
            Assert.That(run.Stderr, Does.Contain($"the project's: {string.Join(' ', ExistingStoreSettings.ProjectMajors)}"));
        });
    }

    private static Task<BoundedRun.Result> ImagesShellAsync(string command) =>
        BoundedRun.RunAsync("bash", ["-c", $"source '{Path.Combine(RepositoryPaths.Root, "scripts", "lib", "images.sh")}' && {command}"], ShellLimit);
}
