using System.Text.Json;

namespace Stackvault.Drill;

public sealed partial class StructuralDrillCheck
{
    private const string Meta = "meta.json";
    private const string CompactedMeta = "meta.compacted.json";

    private void CheckBlocks(DrillContext context, List<DrillCheckResult> results, CancellationToken cancellationToken)
    {
        var root = context.RestoredDirectory;
        var metas = Directory.EnumerateFiles(root, Meta, SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        var unparseable = new List<string>();
        var incomplete = new List<string>();
        foreach (var meta in metas)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var block = Path.GetDirectoryName(meta)!;
            if (!IsJsonObject(meta, out var json))
            {
                unparseable.Add(Path.GetRelativePath(root, meta));
            }
            else if (MissingListedFile(block, json) is { } missing)
            {
                incomplete.Add($"{Path.GetRelativePath(root, block)} ({missing})");
            }
        }

        results.Add(unparseable.Count == 0
            ? DrillCheckResult.Pass("meta.json", $"{metas.Count} parseable")
            : DrillCheckResult.Fail("meta.json", $"not a JSON object: {string.Join(", ", unparseable.Take(3))}"));
        results.Add(incomplete.Count == 0
            ? DrillCheckResult.Pass("complete blocks", "every file meta.json lists is present with its size")
            : DrillCheckResult.Fail("complete blocks", $"incomplete: {string.Join(", ", incomplete.Take(3))}"));

        // Tempo's layout: blocks/<tenant>/<id>/; a block directory without meta.json was left out at backup, so it must not appear.
        var blocks = Path.Combine(root, "blocks");
        if (Type == "tempo" && Directory.Exists(blocks))
        {
            var tenants = Directory.EnumerateDirectories(blocks).ToList();
            var dirs = tenants.SelectMany(Directory.EnumerateDirectories).ToList();
            var partial = dirs.Where(d => !File.Exists(Path.Combine(d, Meta)) && !File.Exists(Path.Combine(d, CompactedMeta))).Select(d => Path.GetRelativePath(root, d)).ToList();
            AddCompare(context, results, "tenants", tenants.Count);
            AddCompare(context, results, "blocks", dirs.Count(d => File.Exists(Path.Combine(d, Meta))));
            results.Add(partial.Count == 0 ? DrillCheckResult.Pass("partial blocks", "none")
                : DrillCheckResult.Fail("partial blocks", $"without meta.json: {string.Join(", ", partial.Take(3))}"));
        }
        else if (Type != "tempo")
        {
            AddCompare(context, results, "blocks", metas.Count);
        }
    }

    /// <summary>A file that meta.json lists (Thanos/Mimir <c>thanos.files</c>) but is absent or of another size, else null.</summary>
    private static string? MissingListedFile(string block, JsonElement meta)
    {
        if (!meta.TryGetProperty("thanos", out var thanos) || thanos.ValueKind != JsonValueKind.Object
            || !thanos.TryGetProperty("files", out var files) || files.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        foreach (var file in files.EnumerateArray())
        {
            if (file.ValueKind != JsonValueKind.Object || !file.TryGetProperty("rel_path", out var rel) || rel.GetString() is not { Length: > 0 } path
                || path == Meta || path.Contains("..", StringComparison.Ordinal) || path.StartsWith('/'))
            {
                continue;
            }

            var info = new FileInfo(Path.Combine(block, path));
            if (!info.Exists)
            {
                return path + " missing";
            }

            if (file.TryGetProperty("size_bytes", out var size) && size.TryGetInt64(out var bytes) && bytes != info.Length)
            {
                return $"{path} has {info.Length} bytes, meta.json says {bytes}";
            }
        }

        return null;
    }
}
