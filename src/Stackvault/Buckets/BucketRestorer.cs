using Stackvault.Errors;
using Stackvault.Repository;
using Stackvault.Repository.Model;

namespace Stackvault.Buckets;

/// <summary>
/// <c>bucket restore</c>: uploads a snapshot's bucket objects to a target bucket. Per block, every file goes before
/// its meta.json (the commit point readers wait for), so an interrupted restore leaves blocks that engines ignore
/// (no meta.json) rather than half blocks. Objects already at the target with the same size and ETag (or MD5) are
/// skipped, which makes a rerun resume; an object that differs is a conflict: nothing is written unless
/// <see cref="BucketRestoreOptions.Overwrite"/>.
/// </summary>
public sealed partial class BucketRestorer(Repository.Repository repository)
{
    public async ValueTask<BucketRestoreResult> RunAsync(Snapshot snapshot, ComponentSection section, IBucketStore target, BucketRestoreOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var layout = BucketPlan.LayoutOf(section) ?? throw new UsageException($"component '{section.Name}' is not a bucket backup ({section.Type}, {section.Method})");
        if (options.Tenants.Count > 0 && layout == "thanos")
        {
            throw new UsageException("the thanos layout has no tenant prefixes: --tenant applies to mimir, cortex, loki and tempo");
        }

        var files = new List<(string Key, Node Node)>();
        await CollectAsync(await SubtreeAsync(snapshot, section.SnapshotPath, cancellationToken).ConfigureAwait(false), string.Empty, files, cancellationToken).ConfigureAwait(false);
        var corrupt = new List<string>();
        var withheld = new List<string>();
        var units = await SelectAsync(layout, files, options, corrupt, withheld, cancellationToken).ConfigureAwait(false);
        var filtered = files.Count - units.Sum(u => u.Files.Count);

        var existing = new Dictionary<string, BucketObject>(StringComparer.Ordinal);
        await foreach (var item in target.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            existing[item.Key] = item;
        }

        var (todo, skipped, conflicts) = await DecideAsync(units, existing, target, cancellationToken).ConfigureAwait(false);
        if (conflicts.Count > 0 && !options.Overwrite)
        {
            throw new StackvaultException($"{conflicts.Count} object(s) already exist at {target.Location} with other content, first: {string.Join(", ", conflicts.Take(3))}; nothing was written (use --overwrite to replace them)");
        }

        var blocks = todo.Count(u => u.Block is not null && u.Files.Count > 0);
        var bytes = todo.Sum(u => u.Files.Sum(f => f.Node.Size));
        var uploads = todo.Sum(u => u.Files.Count);
        if (!options.DryRun)
        {
            await UploadAsync(todo, target, options, cancellationToken).ConfigureAwait(false);
        }

        return new BucketRestoreResult(uploads, skipped, conflicts.Count, filtered, blocks, bytes, options.DryRun) { CorruptLeftOut = corrupt, MetaWithheld = withheld };
    }

    private async ValueTask<Tree> SubtreeAsync(Snapshot snapshot, string path, CancellationToken cancellationToken)
    {
        var tree = await repository.LoadTreeAsync(snapshot.Tree, cancellationToken).ConfigureAwait(false);
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var node = tree.Nodes.FirstOrDefault(n => n.Name == part && n.Type == NodeType.Directory && n.Subtree is not null)
                ?? throw new StackvaultException($"the snapshot has no directory {path}");
            tree = await repository.LoadTreeAsync(node.Subtree!.Value, cancellationToken).ConfigureAwait(false);
        }

        return tree;
    }

    private async ValueTask CollectAsync(Tree tree, string prefix, List<(string, Node)> files, CancellationToken cancellationToken)
    {
        foreach (var node in tree.Nodes)
        {
            if (node.Type == NodeType.File)
            {
                files.Add((prefix + node.Name, node));
            }
            else if (node is { Type: NodeType.Directory, Subtree: { } subtree })
            {
                var child = await repository.LoadTreeAsync(subtree, cancellationToken).ConfigureAwait(false);
                await CollectAsync(child, prefix + node.Name + "/", files, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>One restore unit: a block (its files, meta.json last) or a single other object.</summary>
    private sealed record Unit(string? Block, List<(string Key, Node Node)> Files);
}
