using Stackvault.Jobs;

namespace Stackvault.Telemetry;

/// <summary>A job's copies to one <c>copy_to</c> tier: the last result, the last success, and counts by result.</summary>
public sealed class TierState
{
    public TierCopyRecord? Last { get; set; }

    public DateTimeOffset? LastSuccessAt { get; set; }

    public Dictionary<string, long> RunsTotal { get; set; } = new(StringComparer.Ordinal);
}
