namespace Stackvault.Drill;

/// <summary>
/// The drill of one component: restored into scratch space, then checked at the engine level. The recovery time
/// (RTO) is the restore plus the engine-level restore/start measured by the check, against the component's target.
/// </summary>
public sealed record DrillComponentResult(
    string Name,
    string Type,
    bool Passed,
    double RestoreSeconds,
    double CheckSeconds,
    long FilesRestored,
    long BytesRestored,
    double RtoTargetSeconds,
    IReadOnlyList<DrillCheckResult> Checks,
    string? Error)
{
    /// <summary>Restore plus check: the time from "start recovering" to "the engine answers with the data".</summary>
    public double RtoSeconds => RestoreSeconds + CheckSeconds;

    /// <summary>True when <see cref="RtoSeconds"/> is within the component's target.</summary>
    public bool RtoMet => RtoSeconds <= RtoTargetSeconds;

    /// <summary>The failed checks and the error, for one-line reports.</summary>
    public IEnumerable<string> Failures =>
        (Error is null ? [] : new[] { Error }).Concat(Checks.Where(c => !c.Passed).Select(c => c.ToString()));
}
