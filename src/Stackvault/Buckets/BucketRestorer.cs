using Stackvault.Errors;
using Stackvault.Progress;
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
    /// <param name="progress">Counts objects and bytes uploaded; its totals are set once the target is listed (null: not reported).</param>
    public async ValueTask<BucketRestoreResult> RunAsync(Snapshot snapshot, ComponentSection section, IBucketStore target, BucketRestoreOptions options, OperationProgress? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var layout = BucketPlan.LayoutOf(section) ?? throw new UsageException($"component '{section.Name}' is not a bucket backup ({section.Type}, {section.Method})");
        if (options.Tenants.Count > 0 && !layout.HasTenants)
        {
            throw new UsageException($"the {layout.Name} layout has no tenant prefixes: --tenant applies to {BucketLayout.Having(l => l.HasTenants)}");
        }

        // The target is listed while the snapshot's objects are collected and the blocks checked: two independent
        // waits on two stores (a listing is a round trip per 1,000 keys).
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var listing = ListAsync(target, stop.Token);
        List<(string Key, Node Node)> files;
        List<Unit> units;
        var corrupt = new List<string>();
        var withheld = new List<string>();
        try
        {
            files = await SnapshotObjects.CollectAsync(repository, snapshot, section.SnapshotPath, name: null, cancellationToken).ConfigureAwait(false);
            units = await SelectAsync(layout, files, options, corrupt, withheld, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await listing.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
            throw;
        }

        var filtered = files.Count - units.Sum(u => u.Files.Count);
        var existing = await listing.ConfigureAwait(false);

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
            progress ??= new OperationProgress();
            progress.SetTotals(uploads, bytes);
            await UploadAsync(todo, target, options, progress, cancellationToken).ConfigureAwait(false);
            progress.Finish();
        }

        return new BucketRestoreResult(uploads, skipped, conflicts.Count, filtered, blocks, bytes, options.DryRun) { CorruptLeftOut = corrupt, MetaWithheld = withheld };
    }

    private static async Task<Dictionary<string, BucketObject>> ListAsync(IBucketStore target, CancellationToken cancellationToken)
    {
        var existing = new Dictionary<string, BucketObject>(StringComparer.Ordinal);
        await foreach (var item in target.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            existing[item.Key] = item;
        }

        return existing;
    }

    /// <summary>One restore unit: a block (its files, meta.json last) or a single other object.</summary>
    private sealed record Unit(string? Block, List<(string Key, Node Node)> Files);
}
