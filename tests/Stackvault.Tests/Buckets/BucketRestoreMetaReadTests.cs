using Stackvault.Buckets;
using Stackvault.Storage;
using Stackvault.Storage.Local;
using Stackvault.Tests.Locking;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Buckets;

/// <summary>
/// <c>bucket restore</c> reads the blocks' meta.json files (for the corrupt-block check) several at once before the
/// first upload: from an S3 or Azure repository each is a ranged read with the store's latency, which a bucket of
/// thousands of blocks would otherwise pay one after the other. The repository is read through a storage decorator
/// that makes every ranged read slow and counts the reads in flight; the target is a directory.
/// </summary>
public sealed class BucketRestoreMetaReadTests
{
    private const string Password = "test-password";

    [Fact]
    public async Task Restore_ReadsTheBlocksMetaJsonsSideBySide_BeforeTheFirstUpload_AndRestoresTheSameObjects()
    {
        using var temp = new TempDirectory("sv-bucket-meta");
        var layout = new MimirBucketLayout(temp.Sub("mimir"));
        var cli = new CliRunner(temp.Sub("repo"), Password);
        await cli.InitAsync();
        await cli.ExpectAsync(3, "bucket", "backup", "--source", layout.Root, "--layout", "mimir"); // 3: the corrupt block is reported

        var storage = new InterceptingStorage(new LocalStorage(new LocalStorageOptions(cli.Repository)));
        await using var repository = await Stackvault.Repository.Repository.OpenAsync(storage, Password, TimeProvider.System, CancellationToken.None);
        await repository.LoadIndexAsync(CancellationToken.None);
        var (_, snapshot) = await repository.FindSnapshotAsync("latest", null, CancellationToken.None);
        var section = Assert.Single(snapshot.Components!, c => c.Type == Stackvault.Configuration.BucketComponent.TypeName);
        var targetDirectory = temp.Sub("target");
        Directory.CreateDirectory(targetDirectory);
        await using var target = new FirstPutTarget(new DirectoryBucketStore(targetDirectory, mayBeAbsent: true));

        int inFlight = 0, peak = 0, reads = 0;
        storage.BeforeReadAt = async (handle, ct) =>
        {
            if (handle.Kind != ObjectKind.Pack || target.Uploading)
            {
                return;
            }

            Interlocked.Increment(ref reads);
            var now = Interlocked.Increment(ref inFlight);
            for (var seen = Volatile.Read(ref peak); now > seen && Interlocked.CompareExchange(ref peak, now, seen) != seen; seen = Volatile.Read(ref peak))
            {
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(150), ct); // a store with latency: read one after the other, they never overlap
            }
            finally
            {
                Interlocked.Decrement(ref inFlight);
            }
        };

        var result = await new BucketRestorer(repository).RunAsync(snapshot, section, target, new BucketRestoreOptions(), progress: null, CancellationToken.None);

        Assert.True(reads >= layout.Complete.Count, $"only {reads} pack reads before the first upload");
        Assert.True(peak >= 2, $"the meta.json reads before the first upload never overlapped (peak {peak} of {reads} reads)");
        Assert.Equal(layout.RestoredByDefault.Count, result.Uploaded);
        BucketTestBed.AssertSameObjects(layout.Root, layout.RestoredByDefault, targetDirectory);
    }

    /// <summary>A target that notes when the first upload starts.</summary>
    private sealed class FirstPutTarget(IBucketStore inner) : IBucketStore
    {
        private int _uploading;

        public bool Uploading => Volatile.Read(ref _uploading) == 1;

        public string Location => inner.Location;

        public IAsyncEnumerable<BucketObject> ListAsync(CancellationToken cancellationToken) => inner.ListAsync(cancellationToken);

        public ValueTask<Stream> OpenReadAsync(string key, CancellationToken cancellationToken) => inner.OpenReadAsync(key, cancellationToken);

        public ValueTask<bool> SameContentAsync(BucketObject present, Func<CancellationToken, ValueTask<Stream>> open, CancellationToken cancellationToken) =>
            inner.SameContentAsync(present, open, cancellationToken);

        public ValueTask<string?> PutAsync(string key, Func<CancellationToken, ValueTask<Stream>> open, long length, string? sourceEtag, CancellationToken cancellationToken)
        {
            Volatile.Write(ref _uploading, 1);
            return inner.PutAsync(key, open, length, sourceEtag, cancellationToken);
        }

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
