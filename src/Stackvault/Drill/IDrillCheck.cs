namespace Stackvault.Drill;

/// <summary>
/// The engine-level check of one component type on its restored copy (in scratch space, never live data). Whatever
/// the check starts (a server, a scratch database) it stops or drops before returning, also on failure.
/// </summary>
public interface IDrillCheck
{
    /// <summary>The component <c>type:</c> this check handles.</summary>
    string Type { get; }

    /// <summary>Checks the restored copy against the section's recorded values. Failures are results, not exceptions.</summary>
    ValueTask<IReadOnlyList<DrillCheckResult>> RunAsync(DrillContext context, CancellationToken cancellationToken);
}
