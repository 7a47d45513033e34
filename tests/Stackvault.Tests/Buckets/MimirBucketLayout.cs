namespace Stackvault.Tests.Buckets;

/// <summary>
/// A Mimir bucket written into a local directory (uploaded to s3rver with rclone by the tests), from real promtool
/// blocks: tenant t1 holds two complete blocks (A, B) plus C, a copy of A's data (so it overlaps A), a partial block
/// (no meta.json), a corrupt block (chunks/000001 shorter than meta.json says) and a block marked for deletion
/// (markers/&lt;id&gt;-deletion-mark.json); tenant t2 holds one complete block. Plus t1/bucket-index.json.gz and
/// __mimir_cluster/mimir_cluster_seed.json.
/// </summary>
internal sealed class MimirBucketLayout
{
    public MimirBucketLayout(string root)
    {
        Root = root;
        var blocks = TsdbBlocks.All;
        Complete = [Put("t1", blocks[0], 1), Put("t1", blocks[1], 2), Put("t1", blocks[0], 3), Put("t2", blocks[2], 4)];
        Partial = Put("t1", blocks[2], 5);
        File.Delete(Path.Combine(Root, Partial, "meta.json"));
        Corrupt = Put("t1", blocks[1], 6);
        var chunk = Path.Combine(Root, Corrupt, "chunks", "000001");
        File.WriteAllBytes(chunk, File.ReadAllBytes(chunk)[..^10]);
        Marked = Put("t1", blocks[2], 7);
        var markerDir = Directory.CreateDirectory(Path.Combine(Root, "t1", "markers")).FullName;
        File.WriteAllText(Path.Combine(markerDir, Marked.Split('/')[1] + "-deletion-mark.json"), "{\"id\":\"" + Marked.Split('/')[1] + "\",\"deletion_time\":1715061600,\"version\":1}");
        File.WriteAllBytes(Path.Combine(Root, "t1", "bucket-index.json.gz"), [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        Directory.CreateDirectory(Path.Combine(Root, "__mimir_cluster"));
        File.WriteAllText(Path.Combine(Root, "__mimir_cluster", "mimir_cluster_seed.json"), "{\"UID\":\"3f1e\",\"created_at\":\"2024-05-07T06:00:00Z\",\"version\":1}");
    }

    public string Root { get; }

    /// <summary>"tenant/ULID" of the complete blocks: A, B, C (overlaps A) in t1, then the one of t2.</summary>
    public IReadOnlyList<string> Complete { get; }

    public string Partial { get; }

    public string Corrupt { get; }

    public string Marked { get; }

    /// <summary>Every key of the bucket.</summary>
    public IReadOnlyList<string> Keys => [.. Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(Root, f)).Order(StringComparer.Ordinal)];

    /// <summary>The keys a default backup takes: complete and corrupt blocks, nothing else.</summary>
    public IReadOnlyList<string> DefaultSelection => [.. Keys.Where(k => Complete.Append(Corrupt).Any(b => k.StartsWith(b + "/", StringComparison.Ordinal)))];

    /// <summary>The keys a default <c>bucket restore</c> puts back: the complete blocks (a block corrupt at backup only with --include-corrupt).</summary>
    public IReadOnlyList<string> RestoredByDefault => [.. Keys.Where(k => Complete.Any(b => k.StartsWith(b + "/", StringComparison.Ordinal)))];

    private string Put(string tenant, string block, int n)
    {
        var id = TsdbBlocks.NewUlid(n);
        TsdbBlocks.CopyAs(block, Path.Combine(Root, tenant, id), id, thanosFiles: true);
        return tenant + "/" + id;
    }
}
