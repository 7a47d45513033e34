using System.Security.Cryptography;
using Stackvault.Errors;
using Stackvault.Storage;

namespace Stackvault.Tests.Storage;

/// <summary>
/// The contract every <see cref="IStorage"/> backend passes unchanged. A backend's test class derives from this
/// and returns a fresh, empty storage; the suite creates the layout before each test and disposes the storage after.
/// </summary>
public abstract partial class StorageConformanceTests : IAsyncLifetime
{
    private IStorage? _storage;

    protected static readonly ObjectKind[] AllNamedKinds =
        [ObjectKind.Key, ObjectKind.Pack, ObjectKind.Index, ObjectKind.Snapshot, ObjectKind.Lock];

    public static TheoryData<ObjectKind> NamedKinds => new(AllNamedKinds);

    protected IStorage Storage => _storage ?? throw new InvalidOperationException("not initialized");

    /// <summary>Returns a fresh, empty storage (its layout not necessarily created).</summary>
    protected abstract ValueTask<IStorage> CreateStorageAsync();

    public async Task InitializeAsync()
    {
        _storage = await CreateStorageAsync();
        await _storage.CreateLayoutAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (_storage is not null)
        {
            await _storage.DisposeAsync();
        }

        await CleanupAsync();
    }

    /// <summary>Removes whatever <see cref="CreateStorageAsync"/> set up.</summary>
    protected virtual ValueTask CleanupAsync() => ValueTask.CompletedTask;

    protected static ObjectHandle NewHandle(ObjectKind kind) =>
        kind == ObjectKind.Config ? ObjectHandle.Config : new ObjectHandle(kind, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)));

    protected static byte[] RandomBytes(int length) => RandomNumberGenerator.GetBytes(length);

    protected async Task<List<ObjectInfo>> ListAllAsync(ObjectKind kind)
    {
        var result = new List<ObjectInfo>();
        await foreach (var info in Storage.ListAsync(kind, CancellationToken.None))
        {
            result.Add(info);
        }

        return result;
    }

    [Theory]
    [MemberData(nameof(NamedKinds))]
    public async Task SaveAsync_EachKind_ReadAllReturnsSameBytes(ObjectKind kind)
    {
        var handle = NewHandle(kind);
        var data = RandomBytes(4097);

        await Storage.SaveAsync(handle, data, CancellationToken.None);

        Assert.Equal(data, await Storage.ReadAllAsync(handle, CancellationToken.None));
        Assert.Equal(data.Length, await Storage.StatAsync(handle, CancellationToken.None));
    }

    [Fact]
    public async Task SaveAsync_Config_RoundTripsAndRepositoryExists()
    {
        Assert.False(await Storage.RepositoryExistsAsync(CancellationToken.None));
        var data = RandomBytes(300);

        await Storage.SaveAsync(ObjectHandle.Config, data, CancellationToken.None);

        Assert.True(await Storage.RepositoryExistsAsync(CancellationToken.None));
        Assert.Equal(data, await Storage.ReadAllAsync(ObjectHandle.Config, CancellationToken.None));
        var listed = Assert.Single(await ListAllAsync(ObjectKind.Config));
        Assert.Equal(new ObjectInfo(ObjectHandle.Config, 300), listed);
    }

    [Fact]
    public async Task SaveAsync_ExistingName_ThrowsAndKeepsOriginal()
    {
        var handle = NewHandle(ObjectKind.Lock);
        var original = RandomBytes(100);
        await Storage.SaveAsync(handle, original, CancellationToken.None);

        var e = await Assert.ThrowsAsync<ObjectExistsException>(
            async () => await Storage.SaveAsync(handle, RandomBytes(50), CancellationToken.None));

        Assert.Equal(handle, e.Handle);
        Assert.Equal(original, await Storage.ReadAllAsync(handle, CancellationToken.None));
        Assert.Single(await ListAllAsync(ObjectKind.Lock));
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(1000, 500)]
    [InlineData(4000, 96)]
    [InlineData(0, 4096)]
    [InlineData(2000, 0)]
    [InlineData(4096, 0)]
    public async Task ReadAtAsync_RangeInside_ReturnsExactBytes(int offset, int length)
    {
        var handle = NewHandle(ObjectKind.Pack);
        var data = RandomBytes(4096);
        await Storage.SaveAsync(handle, data, CancellationToken.None);
        var buffer = new byte[length];

        await Storage.ReadAtAsync(handle, offset, buffer, CancellationToken.None);

        Assert.Equal(data.AsSpan(offset, length).ToArray(), buffer);
    }

    [Theory]
    [InlineData(4000, 97)]
    [InlineData(4096, 1)]
    [InlineData(5000, 10)]
    [InlineData(5000, 0)]
    public async Task ReadAtAsync_BeyondEnd_ThrowsCorruptObject(int offset, int length)
    {
        var handle = NewHandle(ObjectKind.Pack);
        await Storage.SaveAsync(handle, RandomBytes(4096), CancellationToken.None);

        var e = await Assert.ThrowsAsync<CorruptObjectException>(
            async () => await Storage.ReadAtAsync(handle, offset, new byte[length], CancellationToken.None));

        Assert.Equal(handle, e.Handle);
        Assert.Contains($"wanted {length} bytes at offset {offset}, object has 4096 bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatAsync_Absent_ReturnsNull()
    {
        Assert.Null(await Storage.StatAsync(NewHandle(ObjectKind.Index), CancellationToken.None));
        Assert.Null(await Storage.StatAsync(ObjectHandle.Config, CancellationToken.None));
    }

    [Fact]
    public async Task ReadAsync_Absent_ThrowsObjectNotFound()
    {
        var handle = NewHandle(ObjectKind.Snapshot);

        var e = await Assert.ThrowsAsync<ObjectNotFoundException>(
            async () => await Storage.ReadAllAsync(handle, CancellationToken.None));
        await Assert.ThrowsAsync<ObjectNotFoundException>(
            async () => await Storage.ReadAtAsync(handle, 0, new byte[1], CancellationToken.None));

        Assert.Equal(handle, e.Handle);
    }
}
