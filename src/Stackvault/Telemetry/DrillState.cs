namespace Stackvault.Telemetry;

/// <summary>The last restore drill of a job: whether it passed and how long the restore took (the measured RTO).</summary>
public sealed class DrillState
{
    public DateTimeOffset At { get; set; }

    public bool Ok { get; set; }

    public double RtoSeconds { get; set; }

    public DateTimeOffset? LastSuccessAt { get; set; }

    /// <summary>The target the measured RTO is compared with: the job's <c>rto</c> total, else the largest component target that applied.</summary>
    public double? RtoTargetSeconds { get; set; }

    /// <summary>Whether every component was back within the job's <c>rto</c> targets (and the whole within its total).</summary>
    public bool? RtoMet { get; set; }
}
