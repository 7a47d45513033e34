namespace Stackvault.Telemetry;

/// <summary>The last restore drill of a job: whether it passed and how long the restore took (the measured RTO).</summary>
public sealed class DrillState
{
    public DateTimeOffset At { get; set; }

    public bool Ok { get; set; }

    public double RtoSeconds { get; set; }

    public DateTimeOffset? LastSuccessAt { get; set; }
}
