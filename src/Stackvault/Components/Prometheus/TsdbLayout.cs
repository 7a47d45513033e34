namespace Stackvault.Components.Prometheus;

/// <summary>
/// What a Prometheus data directory (--storage.tsdb.path) holds, sorted into what a backup copies and what it leaves out:
/// complete blocks (ULID directories with meta.json), partial blocks (a ULID directory without meta.json: a block being
/// written, or a broken one), wal/ and chunks_head/, and the items left out: <c>lock</c>, <c>queries.active</c>,
/// <c>snapshots/</c> (earlier snapshots), and anything named <c>*.tmp*</c> (<c>&lt;ulid&gt;.tmp-for-creation</c>,
/// <c>&lt;ulid&gt;.tmp-for-deletion</c>, <c>wal/checkpoint.N.tmp</c>). Anything else is listed in <see cref="Other"/>.
/// </summary>
public sealed class TsdbLayout
{
    private TsdbLayout(string dataDirectory, List<TsdbBlock> blocks, List<string> partialBlocks, string? wal, string? chunksHead, List<string> leftOut, List<string> other)
    {
        DataDirectory = dataDirectory;
        Blocks = blocks;
        PartialBlocks = partialBlocks;
        Wal = wal;
        ChunksHead = chunksHead;
        LeftOut = leftOut;
        Other = other;
    }

    public string DataDirectory { get; }

    /// <summary>Complete blocks, by minTime then ULID.</summary>
    public IReadOnlyList<TsdbBlock> Blocks { get; }

    /// <summary>Names of ULID directories without meta.json, in ordinal order.</summary>
    public IReadOnlyList<string> PartialBlocks { get; }

    /// <summary>The wal/ directory, or null.</summary>
    public string? Wal { get; }

    /// <summary>The chunks_head/ directory (memory-mapped head chunks), or null.</summary>
    public string? ChunksHead { get; }

    /// <summary>Paths relative to the data directory ('/'-separated) that a backup leaves out, in ordinal order.</summary>
    public IReadOnlyList<string> LeftOut { get; }

    /// <summary>Top-level names that are none of the above, in ordinal order.</summary>
    public IReadOnlyList<string> Other { get; }

    /// <summary>True for a top-level name (or a name inside wal/) that a backup leaves out.</summary>
    public static bool IsLeftOut(string name) =>
        name is "lock" or "queries.active" or "snapshots" || name.Contains(".tmp", StringComparison.Ordinal);

    /// <summary>Classifies the entries of <paramref name="dataDirectory"/>, reading and checking the meta.json of every block.</summary>
    public static TsdbLayout Scan(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        var blocks = new List<TsdbBlock>();
        var partial = new List<string>();
        var leftOut = new List<string>();
        var other = new List<string>();
        string? wal = null;
        string? chunksHead = null;
        foreach (var entry in new DirectoryInfo(dataDirectory).EnumerateFileSystemInfos())
        {
            var name = entry.Name;
            var isDirectory = entry is DirectoryInfo;
            if (IsLeftOut(name))
            {
                leftOut.Add(name);
            }
            else if (isDirectory && TsdbUlid.IsValid(name))
            {
                if (File.Exists(Path.Join(entry.FullName, "meta.json")))
                {
                    blocks.Add(TsdbBlock.Read(entry.FullName));
                }
                else
                {
                    partial.Add(name);
                }
            }
            else if (isDirectory && name == "wal")
            {
                wal = entry.FullName;
                leftOut.AddRange(new DirectoryInfo(wal).EnumerateFileSystemInfos().Where(e => IsLeftOut(e.Name)).Select(e => "wal/" + e.Name));
            }
            else if (isDirectory && name == "chunks_head")
            {
                chunksHead = entry.FullName;
            }
            else
            {
                other.Add(name);
            }
        }

        blocks.Sort((a, b) => a.MinTime != b.MinTime ? a.MinTime.CompareTo(b.MinTime) : string.CompareOrdinal(a.Ulid, b.Ulid));
        partial.Sort(StringComparer.Ordinal);
        leftOut.Sort(StringComparer.Ordinal);
        other.Sort(StringComparer.Ordinal);
        return new TsdbLayout(dataDirectory, blocks, partial, wal, chunksHead, leftOut, other);
    }
}
