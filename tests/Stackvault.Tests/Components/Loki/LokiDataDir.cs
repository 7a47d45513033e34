namespace Stackvault.Tests.Components.Loki;

/// <summary>
/// A Loki data directory shaped like one of Loki 3.x with filesystem storage and the TSDB shipper, built in a temp
/// directory: index (tsdb-shipper-active, index/ with a table), chunks/&lt;tenant&gt;/&lt;fingerprint&gt;/..., wal/,
/// compactor/ with retention markers, and the directories that must be left out (tsdb-shipper-cache, scratch, rules-temp).
/// </summary>
public static class LokiDataDir
{
    /// <summary>Files that must be in the snapshot, relative to data_dir.</summary>
    public static readonly string[] Kept =
    [
        "tsdb-shipper-active/multitenant/index_19800/1712345678-ingester-0-1712345000.tsdb",
        "tsdb-shipper-active/wal/ingester-0/1712345000/00000000",
        "tsdb-shipper-active/uploader/name",
        "index/index_19800/fake/1712345678-ingester-0-1712340000.tsdb.gz",
        "index/index_19800/tenant-b/1712345678-ingester-0-1712340000.tsdb.gz",
        "chunks/fake/5a3f1c2b9e8d7a6f/MTg4ZTIxZDJkNTE6MThlMjFkMmQ1MGQ6NTU1ZmRiZTE=",
        "chunks/fake/5a3f1c2b9e8d7a6f/MTg4ZTIxZDJkNTM6MThlMjFkMmQ1MmU6YTQzMGU5YzI=",
        "chunks/tenant-b/9c8b7a6f5e4d3c2b/MTg4ZTIxZDJkNjA6MThlMjFkMmQ1ZmY6Y2M4ZDE3NmM=",
        "wal/00000000",
        "wal/checkpoint.000001/00000000",
        "compactor/retention/markers/1712345678123456789-ab12cd",
        "compactor/deletion/delete_requests/delete_requests",
        "rules/fake/rules.yaml",
    ];

    /// <summary>Directories of data_dir that must not be in the snapshot.</summary>
    public static readonly string[] LeftOut = ["tsdb-shipper-cache", "scratch", "rules-temp"];

    public static void Create(string dataDir)
    {
        foreach (var relative in Kept)
        {
            Write(dataDir, relative, $"loki {relative}");
        }

        Write(dataDir, "tsdb-shipper-cache/index_19800/fake/1712345678-ingester-0-1712340000.tsdb", "cache");
        Write(dataDir, "scratch/tmp-compaction/file", "scratch");
        Write(dataDir, "rules-temp/fake/rules.yaml", "rules-temp");
    }

    private static void Write(string root, string relative, string content)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }
}
