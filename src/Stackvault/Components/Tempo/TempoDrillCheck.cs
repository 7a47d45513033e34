using Stackvault.Drill;

namespace Stackvault.Components.Tempo;

/// <summary>
/// Tempo cannot be started here: the restored copy is read by its <see cref="TempoLayout"/>. Every meta.json parses,
/// tenants and complete blocks are as recorded, no partial block came back, and a backup that stored no block while
/// the source held some fails (nothing passes on nothing).
/// </summary>
public sealed class TempoDrillCheck : IDrillCheck
{
    public const string PartialCheck = "partial blocks";

    public string Type => Configuration.TempoComponent.TypeName;

    public ValueTask<IReadOnlyList<DrillCheckResult>> RunAsync(DrillContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var root = context.RestoredDirectory;
        var layout = TempoLayout.Scan(root, cancellationToken);
        var complete = layout.Blocks.Where(b => b.State == TempoBlockState.Complete).ToList();
        var results = BlockDrillCheck.CheckMetas(root, [.. complete.Select(b => Path.Combine(root, b.Relative, TempoLayout.MetaFile))], cancellationToken);
        BlockDrillCheck.AddCompare(context, results, TempoChecks.Tenants, layout.Tenants);
        BlockDrillCheck.AddCompare(context, results, TempoChecks.Blocks, complete.Count);
        BlockDrillCheck.AddNotEmpty(context, results, "blocks", complete.Count, TempoChecks.SourceBlocks);
        var partial = layout.Blocks.Where(b => b.State == TempoBlockState.Partial).Select(b => b.Relative).ToList();
        results.Add(partial.Count == 0 ? DrillCheckResult.Pass(PartialCheck, "none")
            : DrillCheckResult.Fail(PartialCheck, $"without meta.json: {string.Join(", ", partial.Take(3))}"));
        return ValueTask.FromResult<IReadOnlyList<DrillCheckResult>>(results);
    }
}
