using Stackvault.Chunking;
using Stackvault.Filtering;
using Stackvault.Locking;
using Stackvault.Platform;
using Stackvault.Repository;
using Stackvault.Repository.Model;
using Stackvault.Repository.Packing;

namespace Stackvault.Backup;

/// <summary>
/// Backs up paths into a snapshot: walks the source, reuses unchanged files from the parent snapshot, stores new
/// chunks and trees, then writes the index and, last, the snapshot manifest (the commit point).
/// Interrupted (cancelled), it stores what is queued and its index so the next backup reuses it, and writes no snapshot.
/// </summary>
public sealed partial class BackupRunner(Repository.Repository repository, RepositoryLock repositoryLock, BackupOptions options, BackupProgress progress)
{
    private readonly List<SnapshotError> _errors = [];
    private readonly SnapshotSummary _summary = new();
    private PathFilter _filter = PathFilter.None;
    private BlobWriter? _writer;
    private FileArchiver? _files;
    private SemaphoreSlim? _fileSlots;
    private SourceReadAhead? _readAhead;

    /// <summary>Files the last run named to its read-ahead (tests).</summary>
    internal int ReadAheadNamed => _readAhead?.Named ?? 0;

    public async ValueTask<BackupResult> RunAsync(CancellationToken cancellationToken)
    {
        options.Validate();
        _filter = new PathFilter(null, options.Excludes);
        var start = repository.Time.GetUtcNow();
        var sources = options.AllSources();
        var source = SourceTree.Build(sources);
        var paths = sources.Select(s => s.SnapshotPath).Order(StringComparer.Ordinal).ToList();
        var (parentId, parentTree) = await FindParentAsync(paths, cancellationToken).ConfigureAwait(false);

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, repositoryLock.Lost);
        using var scanning = CancellationTokenSource.CreateLinkedTokenSource(linked.Token);
        var scan = options.ScanTotals ? SourceScanner.ScanAsync(sources, _filter, progress, scanning.Token) : Task.CompletedTask;
        var writer = new BlobWriter(repository, repositoryLock.ThrowIfLost);
        await using (writer.ConfigureAwait(false))
        {
            _writer = writer;
            _files = new FileArchiver(writer, new FastCdc(repository.ChunkerSeed, repository.Chunker), progress, options.LetGoOfSourcesAfter ?? PageCache.AbsorbableBytes);
            using var slots = new SemaphoreSlim(options.FileConcurrency);
            _fileSlots = slots;
            ObjectId rootTree;
            try
            {
                rootTree = await SaveVirtualAsync(source, parentTree, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                await writer.CompleteAsync().ConfigureAwait(false);
                repositoryLock.ThrowIfLost();
                throw;
            }
            finally
            {
                _readAhead?.Dispose();
            }

            await writer.CompleteAsync().ConfigureAwait(false);
            await scanning.CancelAsync().ConfigureAwait(false);
            await scan.ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            progress.Finish();
            var end = repository.Time.GetUtcNow();
            _summary.DataBlobs = writer.Stats.DataBlobs;
            _summary.TreeBlobs = writer.Stats.TreeBlobs;
            _summary.DataAdded = writer.Stats.RawBytes;
            _summary.DataAddedPacked = writer.Stats.StoredBytes;
            _summary.TotalFilesProcessed = _summary.FilesNew + _summary.FilesChanged + _summary.FilesUnmodified;
            _summary.BytesRead = progress.BytesRead;
            _summary.BackupStart = start;
            _summary.BackupEnd = end;
            var snapshot = new Snapshot
            {
                Time = start,
                Tree = rootTree,
                Paths = paths,
                Hostname = options.Hostname,
                Username = options.Username,
                Tags = [.. options.Tags],
                Parent = parentId,
                Status = _errors.Count > 0 ? SnapshotStatus.Partial : SnapshotStatus.Complete,
                Errors = _errors,
                ProgramVersion = typeof(BackupRunner).Assembly.GetName().Version?.ToString(3) ?? "0",
                Summary = _summary,
            };
            if (options.Finish is { } finish)
            {
                snapshot = finish(snapshot);
            }

            if (options.FinishAsync is { } finishAsync)
            {
                snapshot = await finishAsync(snapshot, linked.Token).ConfigureAwait(false);
            }

            linked.Token.ThrowIfCancellationRequested();
            repositoryLock.ThrowIfLost();
            var id = await repository.SaveSnapshotAsync(snapshot, CancellationToken.None).ConfigureAwait(false);
            return new BackupResult(id, snapshot, parentId);
        }
    }

    private async ValueTask<(ObjectId?, Tree?)> FindParentAsync(List<string> paths, CancellationToken cancellationToken)
    {
        if (options.Force)
        {
            return (null, null);
        }

        ObjectId? parentId = options.Parent;
        Snapshot? parent = null;
        if (parentId is null)
        {
            var all = await repository.ListSnapshotsAsync(cancellationToken).ConfigureAwait(false);
            var match = all.LastOrDefault(s => s.Snapshot.Hostname == options.Hostname && s.Snapshot.Paths.SequenceEqual(paths));
            if (match.Snapshot is not null)
            {
                (parentId, parent) = (match.Id, match.Snapshot);
            }
        }

        if (parentId is null)
        {
            return (null, null);
        }

        parent ??= await repository.LoadSnapshotAsync(parentId.Value, cancellationToken).ConfigureAwait(false);
        return (parentId, await repository.LoadTreeAsync(parent.Tree, cancellationToken).ConfigureAwait(false));
    }

    private void AddError(string path, string message)
    {
        lock (_errors)
        {
            _errors.Add(new SnapshotError { Path = path, Message = message });
        }

        progress.AddError();
    }
}
