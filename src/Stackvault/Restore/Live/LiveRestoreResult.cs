namespace Stackvault.Restore.Live;

/// <summary>What a live restore planned and did: the plan, what was swapped in and where the previous data went.</summary>
public sealed record LiveRestoreResult(
    IReadOnlyList<LivePlanEntry> Plan,
    IReadOnlyList<LiveSwap> Swapped,
    IReadOnlyList<string> Warnings,
    bool DryRun);

/// <summary>
/// One item swapped in: the live path (a database name when <paramref name="IsDatabase"/>), and where the previous data
/// went (null when nothing lived there).
/// </summary>
public sealed record LiveSwap(string Component, string LivePath, string? KeptAs, bool IsDatabase = false)
{
    /// <summary>How to undo it by hand when that is not a file move (a database: the engine's SQL), else null.</summary>
    public string? Undo { get; init; }
}
