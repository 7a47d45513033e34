namespace Stackvault.Buckets;

/// <summary>
/// The one rule of a block's completeness, shared by the scan (backup, verify) and by restore: every file meta.json
/// lists must be there with the listed size; a TSDB meta.json without a file list needs an <c>index</c>.
/// </summary>
internal static class BlockCheck
{
    /// <summary>What is wrong with the block's files against its meta.json (empty: complete).</summary>
    public static List<string> Problems(BlockMeta meta, IReadOnlyDictionary<string, long> sizes, BucketLayout layout)
    {
        var problems = new List<string>();
        foreach (var (path, size) in meta.Files.Where(f => f.Path != "meta.json"))
        {
            if (!sizes.TryGetValue(path, out var actual))
            {
                problems.Add($"{path} missing");
            }
            else if (size is { } expected && expected != actual)
            {
                problems.Add($"{path} is {actual} bytes, meta.json says {expected}");
            }
        }

        if (meta.Files.Count == 0 && layout.IsTsdb && !sizes.ContainsKey("index"))
        {
            problems.Add("index missing");
        }

        return problems;
    }

    /// <summary>True when every file meta.json lists (or, without a list, the TSDB index) is present, whatever its size.</summary>
    public static bool AllListedPresent(BlockMeta meta, IReadOnlyDictionary<string, long> sizes, BucketLayout layout) =>
        meta.Files.Where(f => f.Path != "meta.json").All(f => sizes.ContainsKey(f.Path))
        && (meta.Files.Count > 0 || !layout.IsTsdb || sizes.ContainsKey("index"));
}
