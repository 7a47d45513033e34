using Stackvault.Errors;
using Stackvault.Storage;

namespace Stackvault.Tests.Storage;

/// <summary>Listing, deletion, sizes, concurrency and cancellation facts of the conformance suite.</summary>
public abstract partial class StorageConformanceTests
{
    [Fact]
    public async Task ListAsync_EachKind_ReturnsExactlyWhatWasSaved()
    {
        var saved = new Dictionary<ObjectKind, HashSet<ObjectInfo>>();
        foreach (var kind in AllNamedKinds)
        {
            saved[kind] = [];
            for (var i = 0; i < 5; i++)
            {
                var handle = NewHandle(kind);
                await Storage.SaveAsync(handle, RandomBytes(10 + i), CancellationToken.None);
                saved[kind].Add(new ObjectInfo(handle, 10 + i));
            }
        }

        foreach (var (kind, expected) in saved)
        {
            var listed = await ListAllAsync(kind);
            Assert.Equal(expected.Count, listed.Count);
            Assert.True(expected.SetEquals(listed), $"listing of {kind} differs");
        }

        Assert.Empty(await ListAllAsync(ObjectKind.Config));
    }

    [Fact]
    public async Task DeleteAsync_Existing_ObjectIsGone()
    {
        var handle = NewHandle(ObjectKind.Lock);
        await Storage.SaveAsync(handle, RandomBytes(10), CancellationToken.None);

        await Storage.DeleteAsync(handle, CancellationToken.None);

        Assert.Null(await Storage.StatAsync(handle, CancellationToken.None));
        Assert.Empty(await ListAllAsync(ObjectKind.Lock));
        await Storage.SaveAsync(handle, RandomBytes(5), CancellationToken.None); // the name is free again
    }

    [Fact]
    public async Task DeleteAsync_Absent_DoesNotThrow()
    {
        await Storage.DeleteAsync(NewHandle(ObjectKind.Pack), CancellationToken.None);
        await Storage.DeleteAsync(ObjectHandle.Config, CancellationToken.None);
    }

    [Fact]
    public async Task SaveAsync_EmptyObject_RoundTrips()
    {
        var handle = NewHandle(ObjectKind.Index);

        await Storage.SaveAsync(handle, ReadOnlyMemory<byte>.Empty, CancellationToken.None);

        Assert.Empty(await Storage.ReadAllAsync(handle, CancellationToken.None));
        Assert.Equal(0, await Storage.StatAsync(handle, CancellationToken.None));
        Assert.Equal(new ObjectInfo(handle, 0), Assert.Single(await ListAllAsync(ObjectKind.Index)));
    }

    [Fact]
    public async Task SaveAsync_TwentyMegabytes_RoundTrips()
    {
        var handle = NewHandle(ObjectKind.Pack);
        var data = RandomBytes(20 * 1024 * 1024);

        await Storage.SaveAsync(handle, data, CancellationToken.None);

        Assert.Equal(data, await Storage.ReadAllAsync(handle, CancellationToken.None));
        var tail = new byte[1000];
        await Storage.ReadAtAsync(handle, data.Length - 1000, tail, CancellationToken.None);
        Assert.Equal(data.AsSpan(data.Length - 1000).ToArray(), tail);
    }

    [Fact]
    public async Task SaveAsync_ManyDistinctConcurrently_AllStored()
    {
        var objects = Enumerable.Range(0, 64).Select(i => (Handle: NewHandle(ObjectKind.Pack), Data: RandomBytes(100 + i))).ToList();

        await Task.WhenAll(objects.Select(o => Task.Run(async () => await Storage.SaveAsync(o.Handle, o.Data, CancellationToken.None))));

        foreach (var (handle, data) in objects)
        {
            Assert.Equal(data, await Storage.ReadAllAsync(handle, CancellationToken.None));
        }

        Assert.Equal(objects.Count, (await ListAllAsync(ObjectKind.Pack)).Count);
    }

    [Fact]
    public async Task SaveAsync_SameNameConcurrently_ExactlyOneWins()
    {
        var handle = NewHandle(ObjectKind.Lock);
        var contents = Enumerable.Range(0, 16).Select(_ => RandomBytes(64 * 1024)).ToList();

        var results = await Task.WhenAll(contents.Select(data => Task.Run(async () =>
        {
            try
            {
                await Storage.SaveAsync(handle, data, CancellationToken.None);
                return data;
            }
            catch (ObjectExistsException)
            {
                return null;
            }
        })));

        var winner = Assert.Single(results, r => r is not null);
        Assert.Equal(winner, await Storage.ReadAllAsync(handle, CancellationToken.None));
        Assert.Single(await ListAllAsync(ObjectKind.Lock));
    }

    [Fact]
    public async Task CreateLayoutAsync_Twice_IsIdempotentAndKeepsObjects()
    {
        var handle = NewHandle(ObjectKind.Snapshot);
        await Storage.SaveAsync(handle, RandomBytes(10), CancellationToken.None);

        await Storage.CreateLayoutAsync(CancellationToken.None);

        Assert.Equal(10, await Storage.StatAsync(handle, CancellationToken.None));
    }

    [Fact]
    public async Task Operations_CancelledToken_ThrowAndStoreNothing()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var handle = NewHandle(ObjectKind.Pack);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Storage.SaveAsync(handle, RandomBytes(10), cts.Token));
        Assert.Null(await Storage.StatAsync(handle, CancellationToken.None));

        await Storage.SaveAsync(handle, RandomBytes(10), CancellationToken.None);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Storage.ReadAllAsync(handle, cts.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Storage.ReadAtAsync(handle, 0, new byte[1], cts.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var unused in Storage.ListAsync(ObjectKind.Pack, cts.Token))
            {
            }
        });
    }
}
