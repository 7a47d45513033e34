using Stackvault.Errors;
using Stackvault.Export;
using Stackvault.Repository;
using Stackvault.Repository.Model;

namespace Stackvault.Buckets;

/// <summary>The objects a snapshot holds under a bucket component's directory, and their content read back from the repository.</summary>
internal static class SnapshotObjects
{
    /// <summary>
    /// Every file node below <paramref name="path"/> (only those named <paramref name="name"/> when given) with its key
    /// (the path relative to it, '/'-separated), in tree order; trees are loaded one at a time.
    /// </summary>
    public static async ValueTask<List<(string Key, Node Node)>> CollectAsync(Repository.Repository repository, Snapshot snapshot, string path, string? name, CancellationToken cancellationToken)
    {
        var tree = await repository.LoadTreeAsync(snapshot.Tree, cancellationToken).ConfigureAwait(false);
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var node = tree.Nodes.FirstOrDefault(n => n.Name == part && n.Type == NodeType.Directory && n.Subtree is not null)
                ?? throw new StackvaultException($"the snapshot has no directory {path}");
            tree = await repository.LoadTreeAsync(node.Subtree!.Value, cancellationToken).ConfigureAwait(false);
        }

        var files = new List<(string, Node)>();
        await AddAsync(repository, tree, string.Empty, name, files, cancellationToken).ConfigureAwait(false);
        return files;
    }

    private static async ValueTask AddAsync(Repository.Repository repository, Tree tree, string prefix, string? name, List<(string, Node)> files, CancellationToken cancellationToken)
    {
        foreach (var node in tree.Nodes)
        {
            if (node.Type == NodeType.File && (name is null || node.Name == name))
            {
                files.Add((prefix + node.Name, node));
            }
            else if (node is { Type: NodeType.Directory, Subtree: { } subtree })
            {
                var child = await repository.LoadTreeAsync(subtree, cancellationToken).ConfigureAwait(false);
                await AddAsync(repository, child, prefix + node.Name + "/", name, files, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
