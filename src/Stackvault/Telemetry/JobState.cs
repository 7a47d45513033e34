using Stackvault.Jobs;

namespace Stackvault.Telemetry;

/// <summary>One job's recorded history: last run, last success, counters, schedule position, verify/drill/tier/retention results.</summary>
public sealed class JobState
{
    public const int RecentRunsKept = 10;

    public JobOutcome? LastRun { get; set; }

    /// <summary>The last run whose status was success (complete); partial runs do not count for the RPO.</summary>
    public JobOutcome? LastSuccess { get; set; }

    /// <summary>Newest first, at most <see cref="RecentRunsKept"/>.</summary>
    public List<JobOutcome> RecentRuns { get; set; } = [];

    /// <summary>Runs by result (success, partial, failure).</summary>
    public Dictionary<string, long> RunsTotal { get; set; } = new(StringComparer.Ordinal);

    public long MissedRunsTotal { get; set; }

    public DateTimeOffset? LastMissedAt { get; set; }

    /// <summary>The last due time the daemon handled (ran or counted as missed): the base for the next one after a restart.</summary>
    public DateTimeOffset? LastDue { get; set; }

    public DateTimeOffset? NextRun { get; set; }

    public VerifyState? Verify { get; set; }

    /// <summary>The slice n (1-based) of <c>read_data_subset: n/t</c> the next scheduled verify reads.</summary>
    public int VerifyNextSlice { get; set; } = 1;

    public DrillState? Drill { get; set; }

    public Dictionary<string, TierState> Tiers { get; set; } = new(StringComparer.Ordinal);

    public long RetentionRemovedSnapshotsTotal { get; set; }

    public RetentionRecord? LastRetention { get; set; }

    public DateTimeOffset? PruneLastSuccessAt { get; set; }
}
