using Stackvault.Drill;

namespace Stackvault.Components.Loki;

/// <summary>
/// Loki cannot be started here: structural checks of the restored copy. Index files, chunk files and tenants as
/// recorded, every index table directory non-empty, no chunks without an index, and no empty copy of a source that
/// held files (nothing passes on nothing). Chunk files are counted in both schemas: flat base64 files under
/// <c>chunks/</c> (v11, boltdb-shipper) and <c>chunks/&lt;tenant&gt;/...</c> (v12+, tsdb).
/// </summary>
public sealed class LokiDrillCheck : IDrillCheck
{
    public const string IndexTablesCheck = "index tables";
    public const string IndexCheck = "index";

    public string Type => Configuration.LokiComponent.TypeName;

    public ValueTask<IReadOnlyList<DrillCheckResult>> RunAsync(DrillContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var results = new List<DrillCheckResult>();
        var root = context.RestoredDirectory;
        var (indexFiles, chunkFiles, tenants) = LokiAdapter.Count(root);
        BlockDrillCheck.AddCompare(context, results, LokiChecks.IndexFiles, indexFiles);
        BlockDrillCheck.AddCompare(context, results, LokiChecks.ChunkFiles, chunkFiles);
        BlockDrillCheck.AddCompare(context, results, LokiChecks.Tenants, tenants);
        BlockDrillCheck.AddNotEmpty(context, results, "chunks or index files", indexFiles + chunkFiles, LokiChecks.SourceFiles);

        var emptyTables = LokiAdapter.IndexPaths.Select(p => Path.Combine(root, p)).Where(Directory.Exists)
            .SelectMany(Directory.EnumerateDirectories)
            .Where(t => Path.GetFileName(t).StartsWith("index_", StringComparison.Ordinal) && !Directory.EnumerateFiles(t, "*", SearchOption.AllDirectories).Any())
            .Select(t => Path.GetRelativePath(root, t)).ToList();
        results.Add(emptyTables.Count == 0
            ? DrillCheckResult.Pass(IndexTablesCheck, "every index table holds files")
            : DrillCheckResult.Fail(IndexTablesCheck, $"empty: {string.Join(", ", emptyTables.Take(3))}"));
        if (indexFiles == 0 && chunkFiles > 0)
        {
            results.Add(DrillCheckResult.Fail(IndexCheck, "chunks without any index: Loki cannot find them (it cannot rebuild an index from chunks)"));
        }

        return ValueTask.FromResult<IReadOnlyList<DrillCheckResult>>(results);
    }
}
