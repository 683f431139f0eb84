namespace RestoreDrills.Platforms.Containers;

/// <summary>
/// What the restored server's restore_command (<see cref="CnpgWalRestore"/>) did: each file PostgreSQL asked for
/// and how it was answered, and each barman-cloud-wal-restore call with its exit code. The benchmark counts the
/// calls; the report attaches the log.
/// </summary>
public sealed record WalRestoreLog(IReadOnlyList<WalRestoreLog.Request> Requests, IReadOnlyList<WalRestoreLog.Call> Calls, string Text)
{
    /// <summary>How restore_command answered one request: spool, end-of-wal-stream, fetched or failed.</summary>
    public sealed record Request(string File, string Answer);

    /// <summary>One barman-cloud-wal-restore: the file it fetched and its exit code (1: not found).</summary>
    public sealed record Call(string File, int ExitCode);

    public int SpoolHits => Requests.Count(r => r.Answer == "spool");

    public static WalRestoreLog Parse(string text)
    {
        var requests = new List<Request>();
        var calls = new List<Call>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split(' ');
            if (parts is ["request", var file, var answer, ..]) requests.Add(new Request(file, answer));
            else if (parts is ["call", var name, var code] && int.TryParse(code, out var exitCode)) calls.Add(new Call(name, exitCode));
            else throw new FormatException($"not a line of the wal-restore log: '{line}'");
        }
        return new WalRestoreLog(requests, calls, text);
    }

    public override string ToString() =>
        $"{Requests.Count} request(s), {SpoolHits} from the spool, {Calls.Count} barman-cloud-wal-restore call(s) ({Calls.Count(c => c.ExitCode != 0)} failed)";
}
