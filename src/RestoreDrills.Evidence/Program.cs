using RestoreDrills.Configuration;
using RestoreDrills.Failures;
using RestoreDrills.Secrets;
using RestoreDrills.Reporting.Evidence;

// Usage: RestoreDrills.Evidence <artifacts-dir> <results-dir> <report-dir>
// Paths in the manifest are relative to the working folder: run it from where an auditor will run sha256sum -c.
if (args.Length != 3)
{
    Console.Error.WriteLine("usage: RestoreDrills.Evidence <artifacts-dir> <results-dir> <report-dir>");
    return 2;
}
TimeSpan certificateTimeout;
try
{
    certificateTimeout = new SettingsReader(_ => null).Duration(SettingsTable.TimeoutCertificate);
}
catch (InvalidSettingException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
try
{
    // The settings file the run's objectives came from is evidence too (environment variables may override it: the
    // certificate shows each objective as the drill applied it).
    var settings = Path.GetFullPath("nunit.runsettings");
    var written = await EvidencePackage.BuildAsync(Path.GetFullPath(args[0]), Path.GetFullPath(args[1]), Path.GetFullPath(args[2]),
        Directory.GetCurrentDirectory(), File.Exists(settings) ? [settings] : [], certificateTimeout, cancel.Token);
    Console.WriteLine($"Certificate: {Path.GetRelativePath(Directory.GetCurrentDirectory(), written.CertificatePdf)} ({written.Drills} drill(s); evidence digest {written.EvidenceDigest})");
    Console.WriteLine($"Evidence manifest: {Path.GetRelativePath(Directory.GetCurrentDirectory(), written.Manifest)} sha256 {written.ManifestSha256}");
    return 0;
}
catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException)
{
    Console.Error.WriteLine($"the drill certificate and evidence manifest could not be written: {SecretMasker.Apply(e.Message)}");
    return 1;
}
