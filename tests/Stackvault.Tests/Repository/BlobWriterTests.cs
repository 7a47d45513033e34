using System.Security.Cryptography;
using Stackvault.Repository;
using Stackvault.Repository.Packing;
using Stackvault.Storage;
using Stackvault.Storage.Local;
using Stackvault.Tests.Locking;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Repository;

/// <summary>
/// The blob writer's workers hash file chunks (the reader only cuts them) and write each blob into the range of the
/// pack it reserved under the pack gate, outside the gate: identical chunks in flight are stored once, and a pack is
/// sealed and published only once all its blobs are written.
/// </summary>
public class BlobWriterTests
{
    [Fact]
    public async Task SaveChunkAsync_ManyIdenticalChunksInFlight_StoresEachContentOnceAndKeepsIdsInChunkOrder()
    {
        using var temp = new TempDirectory();
        var repository = await InitAsync(new LocalStorage(new LocalStorageOptions(temp.Path)), packSize: 64 * 1024);
        await using var _ = repository;
        var contents = Enumerable.Range(0, 5).Select(_ => RandomNumberGenerator.GetBytes(20_000)).ToArray();
        var expected = contents.Select(c => repository.Blobs.Hasher.ComputeId(c)).ToArray();
        var writer = new BlobWriter(repository, () => { }, workers: 4);
        await using (writer)
        {
            // Eight "files" side by side, each the five contents ten times over, so workers race on equal hashes.
            var files = Enumerable.Range(0, 8).Select(f => Task.Run(async () =>
            {
                var ids = new ChunkIds();
                for (var i = 0; i < 50; i++)
                {
                    await writer.SaveChunkAsync(contents[(i + f) % 5], null, ids, CancellationToken.None);
                }

                return (File: f, Ids: await writer.HashedAsync(ids, CancellationToken.None));
            })).ToArray();

            foreach (var (file, ids) in await Task.WhenAll(files))
            {
                Assert.Equal(Enumerable.Range(0, 50).Select(i => expected[(i + file) % 5]), ids);
            }

            await writer.CompleteAsync();
            Assert.Equal(5, writer.Stats.DataBlobs);
        }

        var stored = (await repository.ReadIndexFilesAsync(null, CancellationToken.None)).SelectMany(e => e.File.Packs).SelectMany(p => p.Blobs).ToList();
        Assert.Equal(expected.Order(), stored.Select(b => b.Id).Order());
        await repository.ReloadIndexAsync(CancellationToken.None);
        for (var i = 0; i < contents.Length; i++)
        {
            Assert.Equal(contents[i], await repository.ReadBlobAsync(expected[i], BlobType.Data, CancellationToken.None));
        }
    }

    [Fact]
    public async Task FullPack_WithABlobWriteStillInFlight_IsSealedAndPublishedOnlyAfterThatWrite()
    {
        using var temp = new TempDirectory();
        var gated = new GatedStorage(new LocalStorage(new LocalStorageOptions(temp.Path)));
        var storage = gated.Storage;
        var repository = await InitAsync(storage, packSize: 50_000);
        await using var _ = repository;
        var blobs = Enumerable.Range(0, 3).Select(_ => RandomNumberGenerator.GetBytes(20_000)).ToArray();
        var writer = new BlobWriter(repository, () => { }, workers: 3);
        await using (writer)
        {
            // Two blobs fill the first pack; the one written at a non-zero offset of it blocks. The third opens the
            // second pack, and its worker then seals the first: it must wait for the blocked write.
            gated.BlockFirstPackWriteAtOffset = true;
            foreach (var blob in blobs)
            {
                await writer.SaveAsync(BlobType.Data, repository.Blobs.Hasher.ComputeId(blob), blob, null, CancellationToken.None);
            }

            using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await gated.Blocked.Task.WaitAsync(guard.Token);
            await gated.SecondPackWritten.Task.WaitAsync(guard.Token);
            await Task.Delay(200, guard.Token);
            Assert.Empty(await ListAsync(storage, ObjectKind.Pack));

            gated.Release.Set();
            await writer.CompleteAsync();
        }

        Assert.Equal(2, (await ListAsync(storage, ObjectKind.Pack)).Count);
        await repository.ReloadIndexAsync(CancellationToken.None);
        foreach (var blob in blobs)
        {
            Assert.Equal(blob, await repository.ReadBlobAsync(repository.Blobs.Hasher.ComputeId(blob), BlobType.Data, CancellationToken.None));
        }
    }

    [Fact]
    public async Task BlobWriteFailingOutsideTheGate_LeavesNoPackNoIndexAndFailsTheWriter()
    {
        using var temp = new TempDirectory();
        var storage = new GatedStorage(new LocalStorage(new LocalStorageOptions(temp.Path))) { FailFirstPackWriteAtOffset = true }.Storage;
        var repository = await InitAsync(storage, packSize: 50_000);
        await using var _ = repository;
        var writer = new BlobWriter(repository, () => { }, workers: 3);
        await using (writer)
        {
            var failure = await Record.ExceptionAsync(async () =>
            {
                for (var i = 0; i < 6; i++)
                {
                    var blob = RandomNumberGenerator.GetBytes(20_000);
                    await writer.SaveAsync(BlobType.Data, repository.Blobs.Hasher.ComputeId(blob), blob, null, CancellationToken.None);
                }

                await writer.CompleteAsync();
            });
            Assert.Contains("simulated write failure", failure?.Message ?? "(no failure)", StringComparison.Ordinal);
        }

        Assert.Empty(await ListAsync(storage, ObjectKind.Pack));
        Assert.Empty(await ListAsync(storage, ObjectKind.Index));
        Assert.Empty(Directory.GetFiles(Path.Combine(temp.Path, "data"), "*", SearchOption.AllDirectories));
    }

    private static ValueTask<Stackvault.Repository.Repository> InitAsync(IStorage storage, int packSize) =>
        Stackvault.Repository.Repository.InitAsync(storage, new RepositoryInitOptions { Encrypted = false, PackSize = packSize }, TimeProvider.System, CancellationToken.None);

    private static async Task<List<ObjectInfo>> ListAsync(IStorage storage, ObjectKind kind) =>
        await storage.ListAsync(kind, CancellationToken.None).ToListAsync();

    /// <summary>Local storage whose first streamed pack blocks or fails the blob write at a non-zero offset.</summary>
    private sealed class GatedStorage
    {
        private int _started;

        public GatedStorage(LocalStorage inner)
        {
            Storage = new InterceptingStorage(inner) { WrapObjectWriter = w => new Writer(this, w, Interlocked.Increment(ref _started)) };
        }

        public InterceptingStorage Storage { get; }

        public bool BlockFirstPackWriteAtOffset { get; set; }

        public bool FailFirstPackWriteAtOffset { get; init; }

        public TaskCompletionSource Blocked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource SecondPackWritten { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ManualResetEventSlim Release { get; } = new();

        private sealed class Writer(GatedStorage storage, IObjectWriter inner, int number) : IObjectWriter
        {
            public long Length => inner.Length;

            public void WriteAt(long offset, ReadOnlySpan<byte> data)
            {
                if (number == 1 && offset > 0 && offset < 30_000)
                {
                    if (storage.FailFirstPackWriteAtOffset)
                    {
                        throw new IOException("simulated write failure");
                    }

                    if (storage.BlockFirstPackWriteAtOffset)
                    {
                        storage.Blocked.TrySetResult();
                        storage.Release.Wait(TimeSpan.FromMinutes(2));
                    }
                }

                inner.WriteAt(offset, data);
                if (number == 2)
                {
                    storage.SecondPackWritten.TrySetResult();
                }
            }

            public ValueTask PublishAsync(ObjectHandle handle, CancellationToken cancellationToken) => inner.PublishAsync(handle, cancellationToken);

            public void Dispose() => inner.Dispose();
        }
    }
}
