using System.Text.Json;

namespace Stackvault.Drill;

/// <summary>
/// The structural check of restored blocks (object-store buckets, and the rules Tempo's check shares): every
/// <c>meta.json</c> is a JSON object, every file it lists (Thanos/Mimir <c>thanos.files</c>) is present with its
/// size, and the number of blocks is the one recorded. Nothing passes on nothing: no block where blocks were recorded fails.
/// </summary>
public sealed class BlockDrillCheck : IDrillCheck
{
    public const string Meta = "meta.json";

    /// <summary>The recorded count of complete blocks.</summary>
    public const string Blocks = "blocks";

    public const string MetaCheck = "meta.json";
    public const string CompleteCheck = "complete blocks";

    public string Type => Configuration.BucketComponent.TypeName;

    public ValueTask<IReadOnlyList<DrillCheckResult>> RunAsync(DrillContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var metas = Directory.EnumerateFiles(context.RestoredDirectory, Meta, SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        var results = CheckMetas(context.RestoredDirectory, metas, cancellationToken);
        AddCompare(context, results, Blocks, metas.Count);
        return ValueTask.FromResult<IReadOnlyList<DrillCheckResult>>(results);
    }

    /// <summary>Parses each meta.json and checks the files it lists.</summary>
    public static List<DrillCheckResult> CheckMetas(string root, IReadOnlyList<string> metas, CancellationToken cancellationToken)
    {
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

        return
        [
            unparseable.Count == 0
                ? DrillCheckResult.Pass(MetaCheck, $"{metas.Count} parseable")
                : DrillCheckResult.Fail(MetaCheck, $"not a JSON object: {string.Join(", ", unparseable.Take(3))}"),
            incomplete.Count == 0
                ? DrillCheckResult.Pass(CompleteCheck, "every file meta.json lists is present with its size")
                : DrillCheckResult.Fail(CompleteCheck, $"incomplete: {string.Join(", ", incomplete.Take(3))}"),
        ];
    }

    /// <summary>
    /// Compares a count with the recorded one; a count the backup did not record is not compared. Zero found where
    /// the backup recorded some is a failure that says so (<see cref="DrillCheckResult.Compare"/>).
    /// </summary>
    public static void AddCompare(DrillContext context, List<DrillCheckResult> results, string key, long actual)
    {
        if (context.Recorded(key) is { } expected)
        {
            results.Add(DrillCheckResult.Compare(key, expected, actual));
        }
    }

    /// <summary>
    /// Nothing passes on nothing: when the backup stored no <paramref name="what"/> (<paramref name="stored"/> is 0)
    /// while the source held <paramref name="sourceKey"/> of them, the drill fails and says why.
    /// </summary>
    public static void AddNotEmpty(DrillContext context, List<DrillCheckResult> results, string what, long stored, string sourceKey)
    {
        if (stored == 0 && context.Recorded(sourceKey) is > 0 and var held)
        {
            results.Add(DrillCheckResult.Fail($"{what} stored", $"the backup stored no {what} while the source held {held} ({sourceKey}): nothing to restore"));
        }
    }

    public static bool IsJsonObject(string file, out JsonElement root)
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
