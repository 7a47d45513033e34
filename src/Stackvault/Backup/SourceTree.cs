namespace Stackvault.Backup;

/// <summary>
/// The sources as a tree rooted at '/', by snapshot path. Intermediate directories of mirrored sources keep their
/// real metadata (a snapshot of <c>/srv/a</c> mirrors <c>/srv</c>, like restic's); intermediate directories of
/// sources placed elsewhere (<c>/prom/data</c>) are synthesized. A selected node is backed up whole.
/// </summary>
internal sealed class SourceTree
{
    public SortedDictionary<string, SourceTree> Children { get; } = new(StringComparer.Ordinal);

    /// <summary>The source stored at this node, or null for an intermediate directory.</summary>
    public BackupSource? Source { get; private set; }

    /// <summary>For an intermediate directory: the real directory whose metadata it records, or null (synthesized).</summary>
    public string? RealPath { get; private set; }

    public static SourceTree Build(IEnumerable<BackupSource> sources)
    {
        var root = new SourceTree();
        foreach (var source in sources)
        {
            if (source.RealPath is { } real && !Path.Exists(real) && new FileInfo(real).LinkTarget is null)
            {
                throw new Errors.StackvaultException($"{real}: no such file or directory");
            }

            if (source.SnapshotPath == "/")
            {
                throw new Errors.UsageException("backing up '/' itself is not supported: name the directories");
            }

            var node = root;
            var prefix = string.Empty;
            foreach (var part in source.SnapshotPath.Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                if (node.Source is not null)
                {
                    break; // an ancestor is backed up whole already
                }

                prefix += "/" + part;
                if (!node.Children.TryGetValue(part, out var child))
                {
                    child = new SourceTree { RealPath = source.Mirrors ? prefix : null };
                    node.Children.Add(part, child);
                }

                node = child;
            }

            if (node.Source is not null && node.Source != source)
            {
                continue;
            }

            node.Source = source;
            node.Children.Clear();
        }

        return root;
    }
}
