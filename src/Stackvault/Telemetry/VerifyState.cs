namespace Stackvault.Telemetry;

/// <summary>The last scheduled verify of a job's repository: structure always, plus the data slice it read.</summary>
public sealed class VerifyState
{
    public DateTimeOffset At { get; set; }

    public bool Ok { get; set; }

    public double DurationSeconds { get; set; }

    /// <summary>The <c>--read-data-subset</c> used (e.g. 3/7), or null for structure only.</summary>
    public string? Subset { get; set; }

    public int Errors { get; set; }

    public string? Message { get; set; }

    public DateTimeOffset? LastSuccessAt { get; set; }
}
