using Stackvault.Jobs;

namespace Stackvault.Telemetry;

/// <summary>A job's copies to one <c>copy_to</c> tier: the last result, the last success, and counts by result.</summary>
public sealed class TierState
{
    public TierCopyRecord? Last { get; set; }

    public DateTimeOffset? LastSuccessAt { get; set; }

    public Dictionary<string, long> RunsTotal { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The job's newest complete snapshot in the tier, as of the last successful copy.</summary>
    public SnapshotRef? Newest { get; set; }

    /// <summary>The tier's last retention: its policy and which rule keeps each snapshot.</summary>
    public RetentionRecord? LastRetention { get; set; }
}
