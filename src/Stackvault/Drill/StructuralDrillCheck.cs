using System.Text.Json;
using Stackvault.Components.Loki;

namespace Stackvault.Drill;

/// <summary>
/// Loki, Tempo and object-store buckets, which cannot be started here: structural checks of the restored copy. Loki:
/// index files, chunk files and tenants as recorded, every index table directory non-empty. Tempo and buckets: every
/// block has a parseable meta.json (and, where meta.json lists its files as Thanos/Mimir do, every listed file exists
/// with its size), the number of blocks and tenants as recorded.
/// </summary>
public sealed partial class StructuralDrillCheck(string type) : IDrillCheck
{
    public string Type => type;

    public ValueTask<IReadOnlyList<DrillCheckResult>> RunAsync(DrillContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var results = new List<DrillCheckResult>();
        if (type == "loki")
        {
            CheckLoki(context, results);
        }
        else
        {
            CheckBlocks(context, results, cancellationToken);
        }

        return ValueTask.FromResult<IReadOnlyList<DrillCheckResult>>(results);
    }

    private static void CheckLoki(DrillContext context, List<DrillCheckResult> results)
    {
        var root = context.RestoredDirectory;
        long indexFiles = LokiAdapter.IndexPaths.Select(p => Path.Combine(root, p)).Where(Directory.Exists)
            .Sum(d => Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories).LongCount());
        var chunks = Path.Combine(root, "chunks");
        var tenantDirs = Directory.Exists(chunks) ? Directory.EnumerateDirectories(chunks).Where(d => Path.GetFileName(d) != "index").ToList() : [];
        long chunkFiles = tenantDirs.Sum(d => Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories).LongCount());
        AddCompare(context, results, "index_files", indexFiles);
        AddCompare(context, results, "chunk_files", chunkFiles);
        AddCompare(context, results, "tenants", tenantDirs.Count);

        var emptyTables = LokiAdapter.IndexPaths.Select(p => Path.Combine(root, p)).Where(Directory.Exists)
            .SelectMany(Directory.EnumerateDirectories)
            .Where(t => Path.GetFileName(t).StartsWith("index_", StringComparison.Ordinal) && !Directory.EnumerateFiles(t, "*", SearchOption.AllDirectories).Any())
            .Select(t => Path.GetRelativePath(root, t)).ToList();
        results.Add(emptyTables.Count == 0
            ? DrillCheckResult.Pass("index tables", "every index table holds files")
            : DrillCheckResult.Fail("index tables", $"empty: {string.Join(", ", emptyTables.Take(3))}"));
        if (indexFiles == 0 && chunkFiles > 0)
        {
            results.Add(DrillCheckResult.Fail("index", "chunks without any index: Loki cannot find them (it cannot rebuild an index from chunks)"));
        }
    }

    private static void AddCompare(DrillContext context, List<DrillCheckResult> results, string key, long actual)
    {
        if (context.Recorded(key) is { } expected)
        {
            results.Add(DrillCheckResult.Compare(key, expected, actual));
        }
    }

    private static bool IsJsonObject(string file, out JsonElement root)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(file));
            root = document.RootElement.Clone();
            return root.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            root = default;
            return false;
        }
    }
}
