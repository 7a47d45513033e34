using Stackvault.Progress;
using Stackvault.Repository.Model;
using Stackvault.Restore;
using Stackvault.Storage;
using Stackvault.Storage.Local;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Restore;

/// <summary>
/// Restore bounds the bytes of ranges in flight (<see cref="RestoreLimits.BytesInFlight"/>), whatever --concurrency
/// says: with a budget that holds one large range, pack reads happen one at a time; with a large budget they overlap
/// (so the counter does see overlap). Counted by the test's own storage wrapper.
/// </summary>
public sealed class RestoreBytesInFlightTests
{
    private const string Password = "test-password";

    [Fact]
    public async Task WriteAsync_BudgetOfOneLargeRange_ReadsOneRangeAtATime_AllBytesRestored()
    {
        using var temp = new TempDirectory();
        var cli = new CliRunner(temp.Sub("repo"), Password);
        await cli.InitAsync();
        var source = temp.Sub("src");
        Directory.CreateDirectory(source);
        var contents = Enumerable.Range(0, 6).Select(i =>
        {
            var data = new byte[(2 << 20) + (i * 4099)]; // random: every range of it is over the 1 MiB small-set size
            new Random(i).NextBytes(data);
            return data;
        }).ToList();
        for (var i = 0; i < contents.Count; i++)
        {
            await File.WriteAllBytesAsync(Path.Combine(source, $"f{i}"), contents[i]);
        }

        await cli.RunOkAsync("backup", source);

        var storage = new CountingStorage(new LocalStorage(new LocalStorageOptions(cli.Repository)));
        await using var repository = await Stackvault.Repository.Repository.OpenAsync(storage, Password, TimeProvider.System, CancellationToken.None);
        await repository.LoadIndexAsync(CancellationToken.None);
        var (_, snapshot) = await repository.FindSnapshotAsync("latest", null, CancellationToken.None);
        var files = new List<Node>();
        await CollectAsync(repository, snapshot.Tree, files);
        Assert.Equal(contents.Count, files.Count);

        foreach (var (budget, name) in new[] { (1L, "one"), (1L << 30, "many") })
        {
            var target = temp.Sub(name);
            Directory.CreateDirectory(target);
            storage.Reset();
            storage.HoldForOverlap = budget > 1;
            var writer = new PackOrderWriter(repository, concurrency: 8, new OperationProgress(), budget);
            var damaged = await writer.WriteAsync(files.Select(f => (Path.Combine(target, f.Name), f.Name, f)).ToList(), CancellationToken.None);
            Assert.Empty(damaged);
            for (var i = 0; i < contents.Count; i++)
            {
                var restored = await File.ReadAllBytesAsync(Path.Combine(target, $"f{i}"));
                Assert.True(contents[i].AsSpan().SequenceEqual(restored), $"f{i}");
            }

            if (budget == 1)
            {
                Assert.Equal(1, storage.PeakReads); // the budget holds one large range: never two reads at once
            }
            else
            {
                Assert.True(storage.PeakReads > 1, "with room for all, ranges are read side by side"); // the counter sees overlap
            }
        }
    }

    internal static async Task CollectAsync(Stackvault.Repository.Repository repository, Stackvault.Repository.ObjectId tree, List<Node> files)
    {
        foreach (var node in (await repository.LoadTreeAsync(tree, CancellationToken.None)).Nodes)
        {
            if (node.Type == NodeType.File)
            {
                files.Add(node);
            }
            else if (node.Subtree is { } subtree)
            {
                await CollectAsync(repository, subtree, files);
            }
        }
    }

    /// <summary>Counts the pack reads under way at once; each read yields first, so reads that can overlap do.</summary>
    private sealed class CountingStorage(IStorage inner) : IStorage
    {
        private int _reads;
        private int _peak;

        public int PeakReads => Volatile.Read(ref _peak);

        public string Location => inner.Location;

        private readonly TaskCompletionSource _overlap = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Holds each large read until a second one is under way (at most 10 s).</summary>
        public bool HoldForOverlap { get; set; }

        public void Reset() => _peak = 0;

        public async ValueTask ReadAtAsync(ObjectHandle handle, long offset, Memory<byte> buffer, CancellationToken cancellationToken)
        {
            if (handle.Kind != ObjectKind.Pack || buffer.Length <= 1 << 20)
            {
                await inner.ReadAtAsync(handle, offset, buffer, cancellationToken);
                return;
            }

            var now = Interlocked.Increment(ref _reads);
            for (var seen = Volatile.Read(ref _peak); now > seen && Interlocked.CompareExchange(ref _peak, now, seen) != seen; seen = Volatile.Read(ref _peak))
            {
            }

            if (now >= 2)
            {
                _overlap.TrySetResult();
            }

            try
            {
                if (HoldForOverlap)
                {
                    // Held until a second large read is under way (bounded: a restore that never overlaps fails the
                    // test's assertion instead of hanging), so overlap does not depend on how fast the disk answers.
                    await Task.WhenAny(_overlap.Task, Task.Delay(TimeSpan.FromSeconds(10), cancellationToken));
                }

                await inner.ReadAtAsync(handle, offset, buffer, cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref _reads);
            }
        }

        public ValueTask<bool> RepositoryExistsAsync(CancellationToken cancellationToken) => inner.RepositoryExistsAsync(cancellationToken);

        public ValueTask CreateLayoutAsync(CancellationToken cancellationToken) => inner.CreateLayoutAsync(cancellationToken);

        public ValueTask SaveAsync(ObjectHandle handle, ReadOnlyMemory<byte> data, CancellationToken cancellationToken) => inner.SaveAsync(handle, data, cancellationToken);

        public ValueTask<byte[]> ReadAllAsync(ObjectHandle handle, CancellationToken cancellationToken) => inner.ReadAllAsync(handle, cancellationToken);

        public ValueTask<long?> StatAsync(ObjectHandle handle, CancellationToken cancellationToken) => inner.StatAsync(handle, cancellationToken);

        public IAsyncEnumerable<ObjectInfo> ListAsync(ObjectKind kind, CancellationToken cancellationToken) => inner.ListAsync(kind, cancellationToken);

        public ValueTask DeleteAsync(ObjectHandle handle, CancellationToken cancellationToken) => inner.DeleteAsync(handle, cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
