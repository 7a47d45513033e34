namespace Stackvault.Telemetry;

/// <summary>The whole status document: when, from which state directory, every job, and whether all RPOs are met.</summary>
public sealed record StatusReport(DateTimeOffset GeneratedAt, string StateDirectory, bool Ok, IReadOnlyList<JobStatusView> Jobs)
{
    public static StatusReport Build(IReadOnlyList<MonitoredJob> jobs, StatusFile state, string stateDirectory, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        ArgumentNullException.ThrowIfNull(state);
        var views = jobs.Select(j => JobStatusView.Of(j, state.Jobs.GetValueOrDefault(j.Name), now)).ToList();
        return new StatusReport(now, stateDirectory, views.All(v => !v.RpoBreached), views);
    }

    public string ToJson() => System.Text.Json.JsonSerializer.Serialize(this, StatusJsonContext.Instance.StatusReport);
}
