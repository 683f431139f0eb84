using System.Diagnostics;
using RestoreDrills.Reporting.Allure;
using RestoreDrills.Secrets;
using RestoreDrills.Verification;

namespace RestoreDrills.Reporting;

/// <summary>
/// What one drill did, as it happens: named steps (nested), their evidence attachments and the checks, for the
/// report; and progress lines with elapsed times, so a CI log shows where time goes. A drill runs its steps in
/// one async flow, one after another; the journal is not meant to be shared between concurrent flows.
/// </summary>
public sealed class DrillJournal(AllureResultsWriter writer, TextWriter progress, string drillName)
{
    private readonly Stack<OpenStep> _open = new();
    private readonly List<AllureStep> _steps = [];
    private readonly List<AllureAttachment> _attachments = [];
    private readonly List<AllureParameter> _parameters = [];
    private readonly Stopwatch _elapsed = Stopwatch.StartNew();

    public IReadOnlyList<AllureStep> Steps => _steps;
    public IReadOnlyList<AllureAttachment> Attachments => _attachments;
    public IReadOnlyList<AllureParameter> Parameters => _parameters;

    /// <summary>What the drill measured against its objectives, once it has (null until then, and for a drill that ended early).</summary>
    public Evidence.DrillFigures? Figures { get; private set; }

    public void Record(Evidence.DrillFigures figures) => Figures = figures;

    public async Task<T> StepAsync<T>(string name, Func<Task<T>> body)
    {
        var step = new OpenStep(name, DateTimeOffset.UtcNow);
        _open.Push(step);
        Progress($"▶ {name}");
        var watch = Stopwatch.StartNew();
        try
        {
            var result = await body();
            // A step that ends without an exception has still failed when a check inside it did: the report shows it so.
            var failed = step.Children.Where(c => c.Status == AllureStatus.Failed).Select(c => c.StatusDetails?.Message ?? c.Name).ToList();
            Close(step, failed.Count == 0 ? AllureStatus.Passed : AllureStatus.Failed,
                failed.Count == 0 ? null : new AllureStatusDetails($"{failed.Count} check(s) failed: {string.Join("; ", failed)}", null));
            Progress($"◀ {name} ({watch.Elapsed.TotalSeconds:0.0} s)");
            return result;
        }
        catch (Exception e)
        {
            Close(step, e is RestoreDrills.Failures.DrillFailure ? AllureStatus.Failed : AllureStatus.Broken, new AllureStatusDetails(SecretMasker.Apply(e.Message), null));
            Progress($"✗ {name} ({watch.Elapsed.TotalSeconds:0.0} s): {e.Message}");
            throw;
        }
    }

    public Task StepAsync(string name, Func<Task> body) => StepAsync(name, async () => { await body(); return true; });

    /// <summary>Records a check as a step of its own, so the report lists every proof on its own line.</summary>
    public void Check(CheckResult check)
    {
        var now = AllureResultsWriter.EpochMs(DateTimeOffset.UtcNow);
        Add(new AllureStep
        {
            Name = $"{check.Name}: {check.Detail}", Status = check.Passed ? AllureStatus.Passed : AllureStatus.Failed,
            StatusDetails = check.Passed ? null : new AllureStatusDetails(check.Detail, null), Start = now, Stop = now,
        });
        Progress(check.ToString());
    }

    /// <summary>
    /// Records a check the drill did not make, as a skipped step with the reason: a check that vanishes when its setting
    /// is empty would read, to an auditor, as one that passed.
    /// </summary>
    public void NotChecked(string name, string reason)
    {
        var now = AllureResultsWriter.EpochMs(DateTimeOffset.UtcNow);
        Add(new AllureStep
        {
            Name = $"{name}: not checked ({reason})", Status = AllureStatus.Skipped,
            StatusDetails = new AllureStatusDetails($"not checked: {reason}", null), Start = now, Stop = now,
        });
        Progress($"NOT CHECKED {name}: {reason}");
    }

    /// <summary>
    /// Records a problem that is no verdict on the backups (e.g. a cluster the drill could not delete) as a broken step
    /// with the detail, so the report shows it next to the checks instead of in a console line only.
    /// </summary>
    public void Finding(string name, string detail)
    {
        var now = AllureResultsWriter.EpochMs(DateTimeOffset.UtcNow);
        Add(new AllureStep
        {
            Name = $"{name}: {detail}", Status = AllureStatus.Broken,
            StatusDetails = new AllureStatusDetails(detail, null), Start = now, Stop = now,
        });
        Progress($"FINDING {name}: {detail}");
    }

    /// <summary>Attaches evidence to the step that is running (or to the drill when none is).</summary>
    public void Attach(string name, string content, string mimeType = "text/plain", string extension = "txt")
    {
        var attachment = writer.WriteAttachment(name, content, mimeType, extension);
        if (_open.TryPeek(out var step)) step.Attachments.Add(attachment);
        else _attachments.Add(attachment);
    }

    public void Parameter(string name, string value, bool excluded = false) =>
        _parameters.Add(new AllureParameter(name, SecretMasker.Apply(value), excluded ? true : null));

    public void Progress(string message) =>
        progress.WriteLine(SecretMasker.Apply($"[{drillName} +{_elapsed.Elapsed.TotalSeconds,6:0.0}s] {message}"));

    private void Close(OpenStep step, AllureStatus status, AllureStatusDetails? details)
    {
        _open.Pop();
        Add(new AllureStep
        {
            Name = step.Name, Status = status, StatusDetails = details,
            Start = AllureResultsWriter.EpochMs(step.Start), Stop = AllureResultsWriter.EpochMs(DateTimeOffset.UtcNow),
            Steps = step.Children, Attachments = step.Attachments,
        });
    }

    private void Add(AllureStep step)
    {
        if (_open.TryPeek(out var parent)) parent.Children.Add(step);
        else _steps.Add(step);
    }

    private sealed record OpenStep(string Name, DateTimeOffset Start)
    {
        public List<AllureStep> Children { get; } = [];
        public List<AllureAttachment> Attachments { get; } = [];
    }
}
