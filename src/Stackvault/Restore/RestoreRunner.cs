using Stackvault.Errors;
using Stackvault.Filtering;
using Stackvault.Repository;
using Stackvault.Repository.Model;

namespace Stackvault.Restore;

/// <summary>
/// Restores a snapshot: plans the whole tree first (rejecting unsafe names), writes into a staging directory beside
/// the target, optionally reads everything back against the snapshot, and only then swaps it into place. Existing
/// entries of the target that the restore replaces are kept as <c>NAME.pre-restore-TIME</c>.
/// </summary>
public sealed partial class RestoreRunner(Repository.Repository repository, RestoreOptions options)
{
    private readonly List<string> _warnings = [];

    public async ValueTask<(RestoreResult Result, RestorePlan Plan)> RunAsync(Snapshot snapshot, CancellationToken cancellationToken)
    {
        options.Validate();
        var filter = new PathFilter(options.Includes, options.Excludes);
        var plan = new RestorePlan();
        var root = await FindSubtreeAsync(ObjectId.Parse(snapshot.Tree), options.SubtreePath, cancellationToken).ConfigureAwait(false);
        await PlanAsync(root, string.Empty, options.SubtreePath ?? "snapshot root", filter, plan, cancellationToken).ConfigureAwait(false);
        if (options.DryRun)
        {
            return (Result(plan, dryRun: true), plan);
        }

        var target = Path.GetFullPath(options.Target).TrimEnd('/');
        var parent = Path.GetDirectoryName(target) ?? "/";
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, $".stackvault-restore-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            await WriteAsync(staging, plan, cancellationToken).ConfigureAwait(false);
            if (options.Verify)
            {
                await VerifyAsync(staging, plan, cancellationToken).ConfigureAwait(false);
            }

            cancellationToken.ThrowIfCancellationRequested();
            Swap(staging, target);
        }
        catch
        {
            TryDelete(staging);
            throw;
        }

        return (Result(plan, dryRun: false), plan);
    }

    private RestoreResult Result(RestorePlan plan, bool dryRun) =>
        new(options.Target, plan.Files.Count, plan.Directories.Count, plan.Others.Count, plan.TotalBytes, dryRun, options.Verify && !dryRun, _warnings);

    private async ValueTask PlanAsync(ObjectId treeId, string path, string where, PathFilter filter, RestorePlan plan, CancellationToken cancellationToken)
    {
        var tree = await repository.LoadTreeAsync(treeId, cancellationToken).ConfigureAwait(false);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in tree.Nodes)
        {
            SafeNames.Check(node.Name, where);
            SafeNames.CheckUnique(seen, node.Name, where);
            var childPath = path + "/" + node.Name;
            if (filter.IsExcluded(childPath))
            {
                continue;
            }

            if (node.Type == NodeType.Directory)
            {
                if (!filter.MayIncludeBelow(childPath) && !filter.IsIncluded(childPath))
                {
                    continue;
                }

                if (!ObjectId.TryParse(node.Subtree, out var subtree))
                {
                    throw new StackvaultException($"directory {childPath} has no valid subtree id");
                }

                var (dirs, files, others) = (plan.Directories.Count, plan.Files.Count, plan.Others.Count);
                plan.Directories.Add((childPath, node));
                await PlanAsync(subtree, childPath, childPath, filter, plan, cancellationToken).ConfigureAwait(false);
                if (!filter.IsIncluded(childPath) && plan.Directories.Count == dirs + 1 && plan.Files.Count == files && plan.Others.Count == others)
                {
                    plan.Directories.RemoveAt(dirs);
                }
            }
            else if (filter.IsIncluded(childPath))
            {
                (node.Type == NodeType.File ? plan.Files : plan.Others).Add((childPath, node));
            }
        }
    }

    /// <summary>The tree at a snapshot path such as <c>/prom/data</c> (a component's data), or the root.</summary>
    private async ValueTask<ObjectId> FindSubtreeAsync(ObjectId root, string? path, CancellationToken cancellationToken)
    {
        var current = root;
        foreach (var part in (path ?? string.Empty).Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var tree = await repository.LoadTreeAsync(current, cancellationToken).ConfigureAwait(false);
            var node = tree.Nodes.FirstOrDefault(n => n.Name == part && n.Type == NodeType.Directory);
            if (node is null || !ObjectId.TryParse(node.Subtree, out current))
            {
                throw new StackvaultException($"the snapshot has no directory {path}");
            }
        }

        return current;
    }

    private void Swap(string staging, string target)
    {
        if (!Directory.Exists(target) && !File.Exists(target))
        {
            Directory.Move(staging, target);
            return;
        }

        if (Directory.Exists(target) && !Directory.EnumerateFileSystemEntries(target).Any())
        {
            Directory.Delete(target);
            Directory.Move(staging, target);
            return;
        }

        var stamp = Live.PreRestoreCopies.Stamp(repository.Time);
        foreach (var entry in Directory.EnumerateFileSystemEntries(staging))
        {
            var destination = Path.Combine(target, Path.GetFileName(entry));
            if (Directory.Exists(destination) || File.Exists(destination) || new FileInfo(destination).LinkTarget is not null)
            {
                var kept = destination + Live.PreRestoreCopies.Marker + stamp;
                for (var n = 2; Path.Exists(kept) || new FileInfo(kept).LinkTarget is not null; n++)
                {
                    kept = destination + Live.PreRestoreCopies.Marker + stamp + "-" + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                Directory.Move(destination, kept);
                _warnings.Add($"kept the previous {destination} as {kept}");
            }

            Directory.Move(entry, destination);
        }

        Directory.Delete(staging);
    }

    private static void TryDelete(string staging)
    {
        try
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
