using Stackvault.Storage;

namespace Stackvault.Buckets;

/// <summary>
/// A bucket backup's scan (<see cref="BucketScan"/>: the listing and every block's meta.json) started before the
/// repository is open, where it needs nothing of the repository. The scan takes from the repository only the parent
/// snapshot's meta.json files, and there is none to take with <c>--force</c>, or when the repository holds no snapshot
/// at all (a bucket's first backup, the longest; its config is looked for and its snapshot files are listed, which
/// needs no key; a location without a config is no repository, and nothing is read ahead for it). The repository's key
/// derivation (PBKDF2, 0.15-0.3 s of one core), lock and index then overlap the meta.json reads instead of preceding
/// them. Otherwise (a parent named or possible) <see cref="ResultAsync"/> gives null and the scan runs after
/// the open, as before. The repository is checked before its lock is taken: a snapshot another run adds meanwhile is
/// not used as the parent, which costs that run's unchanged objects a download, never correctness.
/// </summary>
public sealed class BucketScanAhead : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly Task<BucketScan?> _scan;

    private BucketScanAhead(CancellationTokenSource stop, Task<BucketScan?> scan)
    {
        _stop = stop;
        _scan = scan;
    }

    /// <summary>
    /// Starts the check and, when it allows, the scan of <paramref name="store"/>; <paramref name="openRepositoryStorage"/>
    /// opens the repository's storage (on a pool thread; disposed after the check). A parent named in
    /// <paramref name="options"/> means no scan ahead.
    /// </summary>
    public static BucketScanAhead Start(IBucketStore store, BucketBackupOptions options, Func<IStorage> openRepositoryStorage, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(openRepositoryStorage);
        ArgumentNullException.ThrowIfNull(time);
        var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var token = stop.Token;
        return new BucketScanAhead(stop, Task.Run(async () =>
        {
            if (options.Parent is not null || await ProbeAsync(openRepositoryStorage, token).ConfigureAwait(false) is not { Repository: true } probe
                || (probe.Snapshots && !options.Force))
            {
                return null;
            }

            return await BucketScan.RunAsync(store, options.Scan, time, parent: null, token).ConfigureAwait(false);
        }, CancellationToken.None));
    }

    /// <summary>The scan made ahead, or null when the backup must scan after the repository is open; a failed scan throws here as it failed.</summary>
    public Task<BucketScan?> ResultAsync(CancellationToken cancellationToken) => _scan.WaitAsync(cancellationToken);

    /// <summary>Stops a scan nobody took (the repository failed to open) and waits for it to end, quietly.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _scan.ConfigureAwait(false);
        }
        catch
        {
            // nobody asked for it, or its error was already thrown by ResultAsync
        }

        _stop.Dispose();
    }

    /// <summary>
    /// Whether the location holds a repository (a config; a mistyped location reads nothing from the bucket) and
    /// whether it holds a snapshot. Unreadable counts as no repository: the open that follows reports why.
    /// </summary>
    private static async ValueTask<(bool Repository, bool Snapshots)> ProbeAsync(Func<IStorage> openRepositoryStorage, CancellationToken cancellationToken)
    {
        try
        {
            var storage = openRepositoryStorage();
            await using (storage.ConfigureAwait(false))
            {
                if (!await storage.RepositoryExistsAsync(cancellationToken).ConfigureAwait(false))
                {
                    return (false, false);
                }

                await foreach (var _ in storage.ListAsync(ObjectKind.Snapshot, cancellationToken).ConfigureAwait(false))
                {
                    return (true, true);
                }

                return (true, false);
            }
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            return (false, false);
        }
    }
}
