using Stackvault.Jobs;

namespace Stackvault.Telemetry;

/// <summary>
/// The log lines of a job run's aftercare, the same for the daemon and <c>backup --job --log-format json</c>: one per
/// <c>copy_to</c> tier with structured fields (a warning when skipped or failed, info when snapshots were copied, verbose
/// otherwise) and one when retention removed snapshots.
/// </summary>
public static class AftercareLog
{
    public static void TierCopy(Log log, string job, TierCopyRecord copy)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(copy);
        var severity = copy.Result != TierCopyRecord.Success ? LogSeverity.Warning : copy.Copied > 0 ? LogSeverity.Info : LogSeverity.Verbose;
        log.Write(severity, $"tier copy {copy.Result}",
            ("job", job), ("tier", copy.Tier), ("result", copy.Result), ("copied", copy.Copied), ("lag_snapshots", copy.LagSnapshots), ("message", copy.Message));
    }

    public static void Retention(Log log, JobOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.Retention is { RemovedSnapshots: > 0 } retention)
        {
            log.Info("retention applied", ("job", outcome.Job), ("removed_snapshots", retention.RemovedSnapshots), ("pruned", retention.Pruned));
        }
    }
}
