using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Stackvault.Backup;
using Stackvault.Buckets;
using Stackvault.Errors;
using Stackvault.Locking;
using Stackvault.Repository;
using Stackvault.Storage;
using Stackvault.Storage.Local;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Buckets;

/// <summary>
/// <see cref="BucketScanAhead"/>: a bucket's scan runs before the repository is open only where it needs nothing of
/// it (a repository without snapshots, or --force), the backup then takes that scan and reads each object once; with a
/// snapshot that could be the parent, a named parent, no repository at the location (even with --force) or an
/// unreadable one it reads nothing ahead; a failed scan throws where the backup takes it; disposing stops a scan
/// nobody took. The bucket is a directory holding real promtool blocks in Mimir's layout.
/// </summary>
public sealed class BucketScanAheadTests : IDisposable
{
    private readonly TempDirectory _temp = new("sv-scan-ahead");
    private readonly MimirBucketLayout _layout;
    private readonly string _repository;

    public BucketScanAheadTests()
    {
        _layout = new MimirBucketLayout(Directory.CreateDirectory(Path.Combine(_temp.Path, "bucket")).FullName);
        _repository = Path.Combine(_temp.Path, "repo");
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task FreshRepository_TheScanEndsBeforeTheRepositoryIsOpen_TheBackupTakesItAndReadsEachObjectOnce()
    {
        await InitAsync();
        var store = new RecordingStore(new DirectoryBucketStore(_layout.Root));
        var opened = 0;

        await using var ahead = BucketScanAhead.Start(store, Options(), () => { opened++; return OpenStorage(); }, TimeProvider.System, CancellationToken.None);
        var scan = await ahead.ResultAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));

        // the whole scan ran with the repository only listed, never opened with its key
        Assert.NotNull(scan);
        Assert.Equal(1, opened);
        Assert.Equal(4, scan.Report.Blocks.Count(b => b.State == BlockState.Complete));
        Assert.Equal(_layout.DefaultSelection, scan.Report.Selected.Select(o => o.Key));
        var metaReads = store.Reads.ToList();
        Assert.NotEmpty(metaReads);
        Assert.All(metaReads, key => Assert.EndsWith("/meta.json", key, StringComparison.Ordinal));

        var (plan, result) = await BackUpAsync(store, Options(), ahead);

        Assert.Same(scan.Report, plan.Report);
        Assert.Null(result.ParentId);
        Assert.Equal(_layout.DefaultSelection.Count, result.Snapshot.Summary!.FilesNew);
        // every selected object read once: the meta.json files the scan read are stored from its bytes
        Assert.Equal(_layout.DefaultSelection, store.Reads.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task RepositoryWithASnapshot_NothingIsReadAhead_TheBackupScansAfterTheOpenWithItsParent()
    {
        await InitAsync();
        var first = await BackUpAsync(new DirectoryBucketStore(_layout.Root), Options(), ahead: null);
        var store = new RecordingStore(new DirectoryBucketStore(_layout.Root));

        await using var ahead = BucketScanAhead.Start(store, Options(), OpenStorage, TimeProvider.System, CancellationToken.None);

        Assert.Null(await ahead.ResultAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal(0, store.Listings);
        Assert.Empty(store.Reads);
        var (_, result) = await BackUpAsync(store, Options(), ahead);
        Assert.Equal(first.Result.SnapshotId, result.ParentId); // the parent was looked for, after the open
        Assert.Equal(_layout.DefaultSelection.Count, result.Snapshot.Summary!.FilesUnmodified);
    }

    [Fact]
    public async Task Force_ScansAheadBesideSnapshots_NamedParent_DoesNot()
    {
        await InitAsync();
        var first = await BackUpAsync(new DirectoryBucketStore(_layout.Root), Options(), ahead: null);

        var forced = new RecordingStore(new DirectoryBucketStore(_layout.Root));
        await using (var ahead = BucketScanAhead.Start(forced, Options() with { Force = true }, OpenStorage, TimeProvider.System, CancellationToken.None))
        {
            Assert.NotNull(await ahead.ResultAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60)));
            Assert.Equal(1, forced.Listings);
        }

        var named = new RecordingStore(new DirectoryBucketStore(_layout.Root));
        await using (var ahead = BucketScanAhead.Start(named, Options() with { Parent = first.Result.SnapshotId }, OpenStorage, TimeProvider.System, CancellationToken.None))
        {
            Assert.Null(await ahead.ResultAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60)));
            Assert.Equal(0, named.Listings);
        }
    }

    [Fact]
    public async Task RepositoryStorageFailsToOpen_NothingIsReadAhead()
    {
        var store = new RecordingStore(new DirectoryBucketStore(_layout.Root));

        await using var ahead = BucketScanAhead.Start(store, Options(), () => throw new LocationNotFoundException("no repository here"), TimeProvider.System, CancellationToken.None);

        Assert.Null(await ahead.ResultAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal(0, store.Listings);
    }

    [Fact]
    public async Task NoRepositoryAtTheLocation_NothingIsReadAhead()
    {
        Directory.CreateDirectory(_repository); // a mistyped location: a directory, but no repository config in it
        var store = new RecordingStore(new DirectoryBucketStore(_layout.Root));

        foreach (var options in new[] { Options(), Options() with { Force = true } })
        {
            await using var ahead = BucketScanAhead.Start(store, options, OpenStorage, TimeProvider.System, CancellationToken.None);
            Assert.Null(await ahead.ResultAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60)));
        }

        Assert.Equal(0, store.Listings);
    }

    [Fact]
    public async Task ScanFails_TheErrorIsThrownWhereTheBackupTakesTheScan()
    {
        await InitAsync();
        var store = new DirectoryBucketStore(Path.Combine(_temp.Path, "no-such-bucket"));

        await using var ahead = BucketScanAhead.Start(store, Options(), OpenStorage, TimeProvider.System, CancellationToken.None);

        var error = await Assert.ThrowsAsync<LocationNotFoundException>(() => ahead.ResultAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("no-such-bucket", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispose_StopsAScanNobodyTook()
    {
        await InitAsync();
        var store = new RecordingStore(new DirectoryBucketStore(_layout.Root)) { HangReads = true };
        var ahead = BucketScanAhead.Start(store, Options(), OpenStorage, TimeProvider.System, CancellationToken.None);
        await store.ReadStarted.Task.WaitAsync(TimeSpan.FromSeconds(60));

        await ahead.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(store.ReadCancelled.Task.IsCompleted); // the hung meta.json read was cancelled, not left behind
    }

    private static BucketBackupOptions Options() => new() { Scan = new BucketScanOptions { Layout = BucketLayout.Mimir }, Hostname = "scan-ahead" };

    private IStorage OpenStorage() => new LocalStorage(new LocalStorageOptions(_repository));

    private async Task InitAsync()
    {
        await using var repository = await Stackvault.Repository.Repository.InitAsync(OpenStorage(), new RepositoryInitOptions { Encrypted = false }, TimeProvider.System, CancellationToken.None);
    }

    private async Task<(BucketPlan Plan, BackupResult Result)> BackUpAsync(IBucketStore store, BucketBackupOptions options, BucketScanAhead? ahead)
    {
        await using var repository = await Stackvault.Repository.Repository.OpenAsync(OpenStorage(), password: null, TimeProvider.System, CancellationToken.None);
        await using var repositoryLock = await new LockManager(repository.Storage, new LockOptions(), TimeProvider.System).AcquireAsync(LockKind.Shared, "bucket backup", CancellationToken.None);
        await repository.LoadIndexAsync(CancellationToken.None);
        return await new BucketBackup(repository, repositoryLock, new BackupProgress()).RunAsync(store, options, ahead, CancellationToken.None);
    }

    /// <summary>A store that records its listings and the keys it opens, and can hang every read until cancelled.</summary>
    private sealed class RecordingStore(IBucketStore inner) : IBucketStore
    {
        private readonly ConcurrentQueue<string> _reads = new();
        private int _listings;

        public bool HangReads { get; init; }

        public IEnumerable<string> Reads => _reads;

        public int Listings => Volatile.Read(ref _listings);

        public TaskCompletionSource ReadStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource ReadCancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Location => inner.Location;

        public async IAsyncEnumerable<BucketObject> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _listings);
            await foreach (var item in inner.ListAsync(cancellationToken))
            {
                yield return item;
            }
        }

        public async ValueTask<Stream> OpenReadAsync(string key, CancellationToken cancellationToken)
        {
            _reads.Enqueue(key);
            if (HangReads)
            {
                ReadStarted.TrySetResult();
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    ReadCancelled.TrySetResult();
                    throw;
                }
            }

            return await inner.OpenReadAsync(key, cancellationToken);
        }

        public ValueTask<bool> SameContentAsync(BucketObject present, Func<CancellationToken, ValueTask<Stream>> open, CancellationToken cancellationToken) =>
            inner.SameContentAsync(present, open, cancellationToken);

        public ValueTask<string?> PutAsync(string key, Func<CancellationToken, ValueTask<Stream>> open, long length, string? sourceEtag, CancellationToken cancellationToken) =>
            inner.PutAsync(key, open, length, sourceEtag, cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
