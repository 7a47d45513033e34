using Stackvault.Jobs;

namespace Stackvault.Telemetry;

/// <summary>The updates callers make: a run, missed due times, the schedule position, a verify, a drill.</summary>
public sealed partial class StatusStore
{
    /// <summary>Records a run with its tier copies and retention (set by the aftercare step).</summary>
    public void RecordRun(JobOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        Update(file =>
        {
            var job = file.Job(outcome.Job);
            job.LastRun = outcome;
            if (outcome.IsSuccess)
            {
                job.LastSuccess = outcome;
            }

            job.RecentRuns.Insert(0, outcome);
            if (job.RecentRuns.Count > JobState.RecentRunsKept)
            {
                job.RecentRuns.RemoveRange(JobState.RecentRunsKept, job.RecentRuns.Count - JobState.RecentRunsKept);
            }

            job.RunsTotal[outcome.Status.Name()] = job.RunsTotal.GetValueOrDefault(outcome.Status.Name()) + 1;
            foreach (var copy in outcome.TierCopies)
            {
                var tier = job.Tiers.TryGetValue(copy.Tier, out var existing) ? existing : job.Tiers[copy.Tier] = new TierState();
                tier.Last = copy;
                tier.RunsTotal[copy.Result] = tier.RunsTotal.GetValueOrDefault(copy.Result) + 1;
                if (copy.Result == TierCopyRecord.Success)
                {
                    tier.LastSuccessAt = copy.At;
                }

                tier.Newest = copy.Newest ?? tier.Newest;
                tier.LastRetention = copy.Retention ?? tier.LastRetention;
            }

            if (outcome.Retention is { } retention)
            {
                job.LastRetention = retention;
                job.RetentionRemovedSnapshotsTotal += retention.RemovedSnapshots;
                if (retention.Pruned)
                {
                    job.PruneLastSuccessAt = retention.At;
                }
            }
        });
    }

    /// <summary>Counts <paramref name="count"/> due times of a job that did not run (overlap, or the process was down or asleep).</summary>
    public void RecordMissed(string job, int count, DateTimeOffset lastMissedDue)
    {
        if (count <= 0)
        {
            return;
        }

        Update(file =>
        {
            var state = file.Job(job);
            state.MissedRunsTotal += count;
            state.LastMissedAt = lastMissedDue;
        });
    }

    /// <summary>The daemon's schedule position: the due time just handled and the next one.</summary>
    public void RecordSchedule(string job, DateTimeOffset? handledDue, DateTimeOffset? nextRun) => Update(file =>
    {
        var state = file.Job(job);
        state.LastDue = handledDue ?? state.LastDue;
        state.NextRun = nextRun;
    });

    /// <summary>Records a scheduled verify; advances the rolling slice when it used one of <paramref name="slices"/>.</summary>
    public void RecordVerify(string job, VerifyState result, int slices)
    {
        ArgumentNullException.ThrowIfNull(result);
        Update(file =>
        {
            var state = file.Job(job);
            result.LastSuccessAt = result.Ok ? result.At : state.Verify?.LastSuccessAt;
            state.Verify = result;
            if (slices > 0)
            {
                state.VerifyNextSlice = (Math.Clamp(state.VerifyNextSlice, 1, slices) % slices) + 1;
            }
        });
    }

    /// <summary>For the drill runner: one restore drill's result and its measured restore time.</summary>
    public void RecordDrill(string job, bool success, double rtoSeconds, DateTimeOffset at, double? rtoTargetSeconds = null, bool? rtoMet = null) => Update(file =>
    {
        var state = file.Job(job);
        state.Drill = new DrillState
        {
            At = at, Ok = success, RtoSeconds = rtoSeconds, LastSuccessAt = success ? at : state.Drill?.LastSuccessAt, RtoTargetSeconds = rtoTargetSeconds, RtoMet = rtoMet,
        };
    });
}
