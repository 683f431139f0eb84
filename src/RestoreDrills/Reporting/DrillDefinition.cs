using RestoreDrills.RecoveryTargets;

namespace RestoreDrills.Reporting;

/// <summary>A drill as an audit trail cites it: a stable id, a title, and what it proves in plain words.</summary>
/// <remarks>
/// <paramref name="Package"/> and <paramref name="Suite"/> place the drill in the report: its stable full name is
/// "&lt;package&gt;.&lt;id&gt;", so history and trends follow it across runs.
/// </remarks>
public sealed record DrillDefinition(string Id, RecoveryTargetKind? Kind, string Title, string Proves, string Feature = "Recovery targets",
    string Package = "RestoreDrills.Containers", string Suite = "Restore drills on throwaway containers");
