namespace Stackvault.Telemetry;

/// <summary>
/// The failsafe status file (<c>status.json</c> in the state directory): each job's last results, readable when
/// Prometheus is down, and the source of the daemon's metrics after a restart. Never holds a secret.
/// </summary>
public sealed class StatusFile
{
    public const int CurrentVersion = 1;

    public int Version { get; set; } = CurrentVersion;

    public DateTimeOffset? UpdatedAt { get; set; }

    public Dictionary<string, JobState> Jobs { get; set; } = new(StringComparer.Ordinal);

    public JobState Job(string name)
    {
        if (!Jobs.TryGetValue(name, out var state))
        {
            state = new JobState();
            Jobs[name] = state;
        }

        return state;
    }
}
