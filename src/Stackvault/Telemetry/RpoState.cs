namespace Stackvault.Telemetry;

/// <summary>A job's recovery point against its RPO: the age of its last complete backup and whether the RPO is breached.</summary>
public sealed record RpoState(string State, double? AgeSeconds, bool Breached)
{
    public const string Within = "ok";
    public const string Exceeded = "breached";
    public const string NeverSucceeded = "never_succeeded";
    public const string NoRpo = "no_rpo";

    /// <summary>Breached when an RPO is set and the last success is older, or there never was one.</summary>
    public static RpoState Evaluate(MonitoredJob job, JobState? state, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(job);
        double? age = state?.LastSuccess is { } success ? Math.Max(0, (now - success.Start).TotalSeconds) : null;
        if (job.Rpo is not { } rpo)
        {
            return new RpoState(NoRpo, age, false);
        }

        return age is null ? new RpoState(NeverSucceeded, null, true)
            : age > rpo.TotalSeconds ? new RpoState(Exceeded, age, true)
            : new RpoState(Within, age, false);
    }
}
