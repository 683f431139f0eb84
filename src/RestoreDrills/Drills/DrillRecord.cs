using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using RestoreDrills.RecoveryTargets;
using RestoreDrills.Seeding;

namespace RestoreDrills.Drills;

/// <summary>
/// What a source drill knew at its recovery target, kept next to the backups so a later existing-store drill
/// can check a restore against it without the source: the target, the backup, backup_test's row count and
/// fingerprint, and the marker rows written before the target. Stored under ".restoredrills/", a prefix no
/// barman server folder can have (CNPG server names are DNS labels), so barman's paths are never touched.
/// </summary>
public sealed record DrillRecord(
    string ServerName,
    string BackupId,
    string TargetKind,
    string TargetValue,
    string? TargetBackupId,
    int Rows,
    string Fingerprint,
    IReadOnlyList<RecordedRow> Markers,
    DateTimeOffset RecordedAt)
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true };

    public static string BlobName(string serverName) => $".restoredrills/{serverName}/drill-record.json";

    public RecoveryTarget Target => new(RecoveryTargetKinds.Parse(TargetKind), TargetValue, TargetBackupId);

    public static DrillRecord Of(string serverName, string backupId, RecoveryTarget target, TableSnapshot atTarget, PreTargetMarkers markers) =>
        new(serverName, backupId, target.Kind.Id(), target.Value, target.BackupId, atTarget.Rows.Count, FingerprintOf(atTarget),
            markers.Ids.Select(id => new RecordedRow(id, atTarget.Rows[id].Name)).ToList(), DateTimeOffset.UtcNow);

    /// <summary>
    /// SHA-256 over every row (id, name, created_at to the microsecond) in id order: equal only if the table is.
    /// backup_test is the drill's own small table, read whole on both sides.
    /// </summary>
    public static string FingerprintOf(TableSnapshot snapshot)
    {
        var text = new StringBuilder();
        foreach (var row in snapshot.Rows.Values.OrderBy(r => r.Id)) text.Append(row).Append('\n');
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    public async Task WriteAsync(BlobContainerClient container, CancellationToken ct) =>
        await container.GetBlobClient(BlobName(ServerName)).UploadAsync(BinaryData.FromString(JsonSerializer.Serialize(this, Json)), overwrite: true, ct);

    /// <summary>The record of a server, or null when no RestoreDrills drill wrote one.</summary>
    public static async Task<DrillRecord?> ReadAsync(BlobContainerClient container, string serverName, CancellationToken ct)
    {
        var blob = container.GetBlobClient(BlobName(serverName));
        if (!await blob.ExistsAsync(ct)) return null;
        var content = await blob.DownloadContentAsync(ct);
        return JsonSerializer.Deserialize<DrillRecord>(content.Value.Content.ToString(), Json);
    }

    public string Describe() => JsonSerializer.Serialize(this, Json);
}
