namespace Stackvault.Drill;

/// <summary>
/// What a restore drill found: the snapshot drilled, one result per component, the total recovery time. The drill
/// passed only when every component restored and every check held; a missed RTO target is reported, not a failure.
/// </summary>
public sealed record DrillReport(
    string Job,
    string SnapshotId,
    DateTimeOffset SnapshotTime,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    IReadOnlyList<DrillComponentResult> Components)
{
    public bool Passed => Components.Count > 0 && Components.All(c => c.Passed);

    /// <summary>Sum of the components' recovery times (they are restored one after another).</summary>
    public double TotalRtoSeconds => Components.Sum(c => c.RtoSeconds);

    public IReadOnlyList<string> FailedComponents => [.. Components.Where(c => !c.Passed).Select(c => c.Name)];

    public string Status => Passed ? "passed" : "failed";

    /// <summary>One line naming every failed component and its first problem, e.g. for stderr or a notification.</summary>
    public string FailureLine() =>
        $"drill of job {Job} failed: " + string.Join("; ", Components.Where(c => !c.Passed)
            .Select(c => $"{c.Name} ({c.Type}): {c.Failures.FirstOrDefault() ?? "failed"}"));
}
