using System.Globalization;
using RestoreDrills.Failures;
using RestoreDrills.RecoveryTargets;

namespace RestoreDrills.Configuration;

/// <summary>
/// The recovery target of an existing-store drill (RESTOREDRILLS_STORE_TARGET): latest, immediate,
/// time:&lt;timestamp&gt;, lsn:&lt;lsn&gt;, xid:&lt;xid&gt;, name:&lt;restore point&gt;, or recorded (the target a
/// RestoreDrills source drill recorded in the store, with its fingerprints).
/// </summary>
public sealed record StoreTarget(RecoveryTargetKind? Kind, string Value)
{
    public bool Recorded => Kind is null;

    public static StoreTarget Parse(string value)
    {
        if (value == "recorded") return new StoreTarget(null, "");
        var at = value.IndexOf(':');
        var (kindText, argument) = at < 0 ? (value, "") : (value[..at], value[(at + 1)..]);
        RecoveryTargetKind kind;
        try
        {
            kind = RecoveryTargetKinds.Parse(kindText);
        }
        catch (ArgumentException e)
        {
            throw new InvalidSettingException($"RESTOREDRILLS_STORE_TARGET='{value}': {e.Message}, or recorded");
        }
        var needsValue = kind is not (RecoveryTargetKind.Latest or RecoveryTargetKind.Immediate);
        if (needsValue != (argument.Length > 0))
            throw new InvalidSettingException(needsValue
                ? $"RESTOREDRILLS_STORE_TARGET='{value}': a {kind.Id()} target needs a value, e.g. {kind.Id()}:{Example(kind)}"
                : $"RESTOREDRILLS_STORE_TARGET='{value}': a {kind.Id()} target takes no value");
        if (kind == RecoveryTargetKind.Time)
        {
            if (!DateTimeOffset.TryParse(argument, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at2))
                throw new InvalidSettingException($"RESTOREDRILLS_STORE_TARGET='{value}': not a timestamp (e.g. time:2026-11-25T01:30:00Z)");
            argument = at2.ToString("yyyy-MM-dd HH:mm:ss.ffffffzzz", CultureInfo.InvariantCulture);
        }
        if (kind == RecoveryTargetKind.Lsn)
            try { Backups.WalPosition.Parse(argument); }
            catch (FormatException e) { throw new InvalidSettingException($"RESTOREDRILLS_STORE_TARGET='{value}': {e.Message}"); }
        return new StoreTarget(kind, argument);
    }

    /// <summary>The PostgreSQL target, with the chosen backup's id where CNPG requires one (xid, name, immediate).</summary>
    public RecoveryTarget For(string backupId) => Kind switch
    {
        RecoveryTargetKind.Time => RecoveryTarget.Time(DateTimeOffset.Parse(Value, CultureInfo.InvariantCulture)),
        RecoveryTargetKind.Lsn => RecoveryTarget.Lsn(Value),
        RecoveryTargetKind.Xid => RecoveryTarget.Xid(long.Parse(Value, CultureInfo.InvariantCulture), backupId),
        RecoveryTargetKind.Name => RecoveryTarget.Name(Value, backupId),
        RecoveryTargetKind.Immediate => RecoveryTarget.Immediate(backupId),
        RecoveryTargetKind.Latest => RecoveryTarget.Latest(),
        _ => throw new InvalidOperationException("a recorded target is read from the store's drill record"),
    };

    private static string Example(RecoveryTargetKind kind) => kind switch
    {
        RecoveryTargetKind.Time => "2026-11-25T01:30:00Z",
        RecoveryTargetKind.Lsn => "0/3000060",
        RecoveryTargetKind.Xid => "1234",
        _ => "before-upgrade",
    };

    public override string ToString() => Recorded ? "recorded" : Value.Length == 0 ? Kind!.Value.Id() : $"{Kind!.Value.Id()}:{Value}";
}
