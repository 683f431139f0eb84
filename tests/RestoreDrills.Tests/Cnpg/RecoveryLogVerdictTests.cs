namespace RestoreDrills.Tests.Cnpg;

/// <summary>The failure line of a recovery log as CloudNative-PG writes it: JSON (the instance manager's, PostgreSQL's records wrapped in it) and plain text.</summary>
public sealed class RecoveryLogVerdictTests
{
    [Test]
    public void The_instance_managers_error_is_its_msg_and_error() =>
        Assert.That(RecoveryLogVerdict.Judge([DoubleStatuses.RecoveryLogJsonTransientFailure]), Is.EqualTo((
            "Error while restoring a backup: encountered an error while restoring: exit status 4: 503 Server Busy: The server is currently unable to receive requests", false)));

    [Test]
    public void PostgreSQLs_record_that_the_target_was_not_reached_wins_over_later_errors() =>
        Assert.That(RecoveryLogVerdict.Judge([DoubleStatuses.RecoveryLogJsonTargetNotReached]),
            Is.EqualTo(("FATAL:  recovery ended before configured recovery target was reached", true)));

    [Test]
    public void A_record_at_LOG_or_an_info_line_is_no_failure()
    {
        const string log =
            "{\"level\":\"info\",\"ts\":\"2026-11-25T21:15:20Z\",\"logger\":\"postgres\",\"msg\":\"record\",\"record\":{\"error_severity\":\"LOG\",\"message\":\"redo starts at 0/4000028\"}}\n" +
            "{\"level\":\"info\",\"ts\":\"2026-11-25T21:15:21Z\",\"logger\":\"setup\",\"msg\":\"Checking for free disk space for WALs after PostgreSQL finished\"}\n";
        Assert.That(RecoveryLogVerdict.Judge([log]), Is.EqualTo(((string?)null, false)));
    }

    [Test]
    public void PostgreSQLs_stderr_relayed_as_msg_text_and_PANIC_records_are_failures()
    {
        const string stderr = "{\"level\":\"info\",\"ts\":\"2026-11-25T21:15:19Z\",\"logger\":\"postgres\",\"msg\":\"2026-11-25 21:15:19.142 UTC [26] FATAL:  could not open file \\\"global/pg_filenode.map\\\"\",\"logging_pod\":\"pg-1\"}\n";
        const string panic = "{\"level\":\"info\",\"logger\":\"postgres\",\"msg\":\"record\",\"record\":{\"error_severity\":\"PANIC\",\"message\":\"could not locate a valid checkpoint record\"}}\n";
        Assert.Multiple(() =>
        {
            Assert.That(RecoveryLogVerdict.Judge([stderr]).Line, Is.EqualTo("2026-11-25 21:15:19.142 UTC [26] FATAL:  could not open file \"global/pg_filenode.map\""));
            Assert.That(RecoveryLogVerdict.Judge([stderr + panic]).Line, Is.EqualTo("PANIC:  could not locate a valid checkpoint record"));
        });
    }

    [Test]
    public void Plain_text_lines_keep_working() =>
        Assert.Multiple(() =>
        {
            Assert.That(RecoveryLogVerdict.Judge([DoubleStatuses.RecoveryLogTargetNotReached]),
                Is.EqualTo(("FATAL:  recovery ended before configured recovery target was reached", true)));
            Assert.That(RecoveryLogVerdict.Judge(["LOG:  starting\nERROR:  could not read file \"x\"\nLOG:  shutting down\n"]), Is.EqualTo(("ERROR:  could not read file \"x\"", false)));
            Assert.That(RecoveryLogVerdict.Judge(["{ not json ERROR: at all\n"]).Line, Is.EqualTo("{ not json ERROR: at all"));
        });

    [Test]
    public void The_first_log_with_a_failure_line_decides() =>
        Assert.That(RecoveryLogVerdict.Judge(["LOG:  nothing wrong\n", DoubleStatuses.SidecarLogRestoreFailed]).Line,
            Is.EqualTo("Can't restore backup: unexpected failure invoking barman-cloud-restore: exit status 1: ERROR: Barman cloud restore exception: The specified container does not exist."));
}
