using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace RestoreDrills.Tests.Configuration;

/// <summary>
/// SettingsTable is the one place a setting's default is written: nunit.runsettings and the settings tables of the
/// docs must agree with it, every setting name the project uses must be one of its rows, and no wait or timeout is
/// written as a literal anywhere else in src/.
/// </summary>
public sealed partial class SettingsTableTests
{
    private static string Root => RepositoryPaths.Root;

    [Test]
    public void Every_row_has_a_unique_name_a_meaning_and_a_default_its_unit_reads()
    {
        Assert.Multiple(() =>
        {
            Assert.That(SettingsTable.All.Select(s => s.Name), Is.Unique);
            Assert.That(SettingsTable.All, Has.Count.GreaterThan(90));
            foreach (var s in SettingsTable.All)
            {
                Assert.That(s.Meaning, Is.Not.Empty, s.Name);
                if (s.Default.Length == 0) continue;
                switch (s.Unit)
                {
                    case SettingUnit.Seconds or SettingUnit.Milliseconds or SettingUnit.Hours:
                        Assert.That(s.DefaultDuration, Is.GreaterThan(TimeSpan.Zero), s.Name); break;
                    case SettingUnit.Count: Assert.That(() => s.DefaultInt, Throws.Nothing, s.Name); break;
                    case SettingUnit.Flag: Assert.That(() => s.DefaultBool, Throws.Nothing, s.Name); break;
                }
            }
        });
    }

    [Test]
    public void Nunit_runsettings_lists_exactly_the_run_settings_with_the_tables_defaults()
    {
        var parameters = XDocument.Load(Path.Combine(Root, "nunit.runsettings")).Descendants("Parameter")
            .ToDictionary(p => (string)p.Attribute("name")!, p => (string)p.Attribute("value")!);
        var runSettings = SettingsTable.All.Where(s => s.Scope == SettingScope.RunSettings).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(parameters.Keys, Is.EquivalentTo(runSettings.Select(s => s.Name)), "the parameters are the table's RunSettings rows");
            foreach (var s in runSettings.Where(s => parameters.ContainsKey(s.Name)))
                Assert.That(parameters[s.Name], Is.EqualTo(s.Default), $"{s.Name}: nunit.runsettings and SettingsTable disagree");
        });
    }

    [Test]
    public void The_docs_tables_name_every_setting_with_the_tables_default()
    {
        var rows = DocumentedSettings();
        Assert.Multiple(() =>
        {
            foreach (var s in SettingsTable.All.Where(s => s.Name != SettingsTable.StandardKubeconfig.Name))
            {
                Assert.That(rows.ContainsKey(s.Name), Is.True, $"{s.Name} has no row in docs/settings.md or docs/existing-store.md");
                if (s.Default.Length > 0 && rows.TryGetValue(s.Name, out var documented))
                    Assert.That(documented, Is.EqualTo($"`{s.Default}`").Or.EqualTo($"`{s.Default}` {Unit(s)}"), $"{s.Name}: the docs' default disagrees with SettingsTable");
            }
            foreach (var name in rows.Keys.Where(n => !n.EndsWith('*')))
                Assert.That(SettingsTable.Find(name), Is.Not.Null, $"the docs document {name}, which SettingsTable does not have");
        });
    }

    [Test]
    public void Every_setting_name_in_the_code_scripts_pipelines_and_docs_is_a_row()
    {
        var unknown = new SortedSet<string>();
        foreach (var file in ProjectFiles())
            foreach (Match m in SettingName().Matches(File.ReadAllText(file)))
                if (SettingsTable.Find(m.Value) is null) unknown.Add($"{m.Value} ({Path.GetRelativePath(Root, file)})");
        Assert.That(unknown, Is.Empty, "setting names that are not rows of SettingsTable");
    }

    /// <summary>Each literal wait, delay or query timeout in src/ is a row of the table instead (a constant of meaning, not a wait, is listed here with why).</summary>
    [Test]
    public void No_wait_or_timeout_is_a_literal_outside_the_table()
    {
        string[] notWaits =
        [
            "Backups/BackupSelector.cs: EndTimeResolution = TimeSpan.FromSeconds(1)",  // barman lists a backup's end to the second
            "Platforms/Cnpg/SourceArchive.cs: PastTimeTarget = TimeSpan.FromSeconds(1)", // a time target is passed one second after it
            "Platforms/Cnpg/CnpgTargets.cs: AfterBackupEnd = TimeSpan.FromSeconds(2)",   // where a time target is put after a backup's end
        ];
        var found = new List<string>();
        var src = Path.Combine(Root, "src");
        foreach (var file in Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories).Where(f => !f.Contains("/bin/") && !f.Contains("/obj/")))
        {
            var relative = Path.GetRelativePath(Path.Combine(src, "RestoreDrills"), file);
            foreach (var line in File.ReadLines(file))
                foreach (Match m in LiteralWait().Matches(line))
                {
                    var entry = $"{relative}: {Regex.Match(line, @"\w+ = " + Regex.Escape(m.Value)).Value}";
                    if (!notWaits.Contains(entry)) found.Add($"{relative}: {m.Value}");
                }
        }
        Assert.That(found, Is.Empty, "literal waits or timeouts: make each a row of SettingsTable");
    }

    [Test]
    public void The_two_rto_measurements_have_two_names()
    {
        var reader = new SettingsReader(n => n == SettingsTable.BudgetRto.Name ? "11" : n == SettingsTable.BudgetCnpgRto.Name ? "22" : null, _ => null);
        Assert.Multiple(() =>
        {
            Assert.That(DrillBudgets.Read(reader).Rto, Is.EqualTo(TimeSpan.FromSeconds(11)), "download to promoted");
            Assert.That(CnpgSettings.Read(reader).RtoBudget, Is.EqualTo(TimeSpan.FromSeconds(22)), "created to ready");
        });
    }

    private static string Unit(Setting s) => s.Unit switch
    {
        SettingUnit.Milliseconds => "ms", SettingUnit.Seconds => "s", SettingUnit.Hours => "h", _ => "",
    };

    /// <summary>setting → its default cell, from every table row of docs/*.md that starts with a code-quoted name.</summary>
    private static Dictionary<string, string> DocumentedSettings()
    {
        var rows = new Dictionary<string, string>();
        foreach (var page in Directory.EnumerateFiles(Path.Combine(Root, "docs"), "*.md"))
            foreach (var line in File.ReadLines(page))
                if (DocsRow().Match(line) is { Success: true } m) rows[m.Groups[1].Value] = m.Groups[2].Value.Trim();
        return rows;
    }

    private static IEnumerable<string> ProjectFiles()
    {
        string[] skipped = ["/bin/", "/obj/", "/node_modules/", "/artifacts/", "/.git/", "/TestResults/"];
        string[] extensions = [".cs", ".md", ".yml", ".yaml", ".sh", ".runsettings", ".mjs", ".json"];
        return Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories)
            .Where(f => !skipped.Any(f.Contains))
            .Where(f => extensions.Contains(Path.GetExtension(f)) || Path.GetDirectoryName(f)!.EndsWith("scripts", StringComparison.Ordinal) || f.EndsWith("/.ci/run", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"RESTOREDRILLS_[A-Z0-9_]*[A-Z0-9](?![A-Z0-9_]*\*)")]
    private static partial Regex SettingName();

    [GeneratedRegex(@"^\| `((?:RESTOREDRILLS_[A-Z0-9_]+\*?)|(?:(?:wait|timeout|age)\.[a-z-]+))` \|\s*([^|]*?)\s*\|")]
    private static partial Regex DocsRow();

    [GeneratedRegex(@"TimeSpan\.From\w+\(\s*[\d_.]+\s*\)|Task\.Delay\(\s*\d|WaitForExit(?:Async)?\(\s*\d|[Cc]ommandTimeout\s*[:=]\s*\d|\bTimeout\s*=\s*\d")]
    private static partial Regex LiteralWait();
}
