namespace Stackvault.Backup;

/// <summary>
/// The backed-up paths as a tree rooted at '/': intermediate directories are kept (with their own metadata) so a
/// snapshot mirrors absolute paths, like restic's. A selected node is backed up whole.
/// </summary>
internal sealed class SourceTree
{
    public SortedDictionary<string, SourceTree> Children { get; } = new(StringComparer.Ordinal);

    public bool Selected { get; private set; }

    public static SourceTree Build(IEnumerable<string> paths)
    {
        var root = new SourceTree();
        foreach (var raw in paths)
        {
            var full = Path.GetFullPath(raw);
            if (!Path.Exists(full) && !File.Exists(full) && !Directory.Exists(full) && new FileInfo(full).LinkTarget is null)
            {
                throw new Errors.StackvaultException($"{raw}: no such file or directory", Errors.ExitCode.Failure);
            }

            var node = root;
            foreach (var part in full.Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                if (!node.Children.TryGetValue(part, out var child))
                {
                    child = new SourceTree();
                    node.Children.Add(part, child);
                }

                node = child;
            }

            node.Selected = true;
        }

        if (root.Selected)
        {
            throw new Errors.StackvaultException("backing up '/' itself is not supported: name the directories", Errors.ExitCode.Usage);
        }

        return root;
    }
}
