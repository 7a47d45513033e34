using Stackvault.Configuration;

namespace Stackvault.Telemetry;

/// <summary>A job as metrics and status see it: its name, repository, schedule text, configured RPO and copy_to tiers.</summary>
public sealed record MonitoredJob(string Name, string? Repository, string? Schedule, TimeSpan? Rpo, IReadOnlyList<string> Tiers)
{
    /// <summary>The configured jobs; without a config, the jobs the state file knows.</summary>
    public static IReadOnlyList<MonitoredJob> From(StackvaultConfig? config, StatusFile state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return config is not null
            ? [.. config.Jobs.Values.Select(j => new MonitoredJob(j.Name, j.Repository, j.Schedule?.Expression, j.Rpo, j.CopyTo))]
            : [.. state.Jobs.Keys.Order(StringComparer.Ordinal).Select(name => new MonitoredJob(name, null, null, null, []))];
    }
}
