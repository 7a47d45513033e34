using Stackvault.Errors;
using Stackvault.Platform;
using Stackvault.Storage;
using Stackvault.Storage.Local;

namespace Stackvault.Tests.Storage.Local;

/// <summary>Runs the conformance suite on a LocalStorage in a temp directory, plus the local-only facts.</summary>
public sealed class LocalStorageConformanceTests : StorageConformanceTests
{
    private readonly string _parent = Directory.CreateTempSubdirectory("sv-local-").FullName;

    private string Root => Path.Combine(_parent, "repo");

    protected override ValueTask<IStorage> CreateStorageAsync() =>
        ValueTask.FromResult<IStorage>(new LocalStorage(new LocalStorageOptions(Root)));

    protected override ValueTask CleanupAsync()
    {
        Directory.Delete(_parent, recursive: true);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task ListAsync_LeftoverTempFile_IsNotListed()
    {
        var handle = NewHandle(ObjectKind.Pack);
        await Storage.SaveAsync(handle, RandomBytes(10), CancellationToken.None);
        var directory = Path.GetDirectoryName(Path.Combine(Root, handle.RelativePath))!;
        await File.WriteAllTextAsync(Path.Combine(directory, ".tmp-x"), "half");
        await File.WriteAllTextAsync(Path.Combine(Root, "locks", ".tmp-y"), "half");

        Assert.Equal([new ObjectInfo(handle, 10)], await ListAllAsync(ObjectKind.Pack));
        Assert.Empty(await ListAllAsync(ObjectKind.Lock));
    }

    [Fact]
    public async Task StartObject_Pack_InvisibleUntilPublishedThenReadOnlyAndNeverOverwritten()
    {
        var bytes = RandomBytes(3000);
        var handle = new ObjectHandle(ObjectKind.Pack, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)));
        using (var writer = Storage.StartObject(ObjectKind.Pack))
        {
            writer.Write(bytes.AsSpan(0, 1000));
            writer.Write(bytes.AsSpan(1000));
            Assert.Equal(3000, writer.Length);
            var temp = Assert.Single(Directory.GetFiles(Path.Combine(Root, "data"), ".tmp-*"));
            Assert.Equal(3000, new FileInfo(temp).Length);
            Assert.Empty(await ListAllAsync(ObjectKind.Pack));

            await writer.PublishAsync(handle, CancellationToken.None);
            Assert.False(File.Exists(temp), "the temp name outlived the publish");
        }

        Assert.Equal([new ObjectInfo(handle, 3000)], await ListAllAsync(ObjectKind.Pack));
        Assert.Equal(bytes, await Storage.ReadAllAsync(handle, CancellationToken.None));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(Path.Combine(Root, handle.RelativePath)));

        using (var again = Storage.StartObject(ObjectKind.Pack))
        {
            again.Write(RandomBytes(10));
            await Assert.ThrowsAsync<ObjectExistsException>(async () => await again.PublishAsync(handle, CancellationToken.None));
        }

        Assert.Equal(bytes, await Storage.ReadAllAsync(handle, CancellationToken.None));
        Assert.Empty(Directory.GetFiles(Root, ".tmp-*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task StartObject_DisposedUnpublished_LeavesNothing()
    {
        using (var writer = Storage.StartObject(ObjectKind.Pack))
        {
            writer.Write(RandomBytes(100));
        }

        Assert.Empty(Directory.GetFiles(Root, "*", SearchOption.AllDirectories));
        Assert.Empty(await ListAllAsync(ObjectKind.Pack));
    }

    [Fact]
    public async Task SweepAbandonedAsync_OldAndYoungTempFiles_RemovesOnlyOldOnesAndNoObject()
    {
        var handle = NewHandle(ObjectKind.Pack);
        await Storage.SaveAsync(handle, RandomBytes(10), CancellationToken.None);
        var packDirectory = Path.GetDirectoryName(Path.Combine(Root, handle.RelativePath))!;
        var old = new[] { Path.Combine(packDirectory, ".tmp-old"), Path.Combine(Root, "index", ".tmp-old"), Path.Combine(Root, ".tmp-config") };
        foreach (var path in old)
        {
            await File.WriteAllTextAsync(path, "half written");
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddHours(-2));
        }

        var young = Path.Combine(packDirectory, ".tmp-young");
        await File.WriteAllTextAsync(young, "in flight");

        var result = await Storage.SweepAbandonedAsync(DateTimeOffset.UtcNow.AddHours(-1), CancellationToken.None);

        Assert.Equal(new SweepResult(3, 3 * "half written".Length, null), result);
        Assert.All(old, path => Assert.False(File.Exists(path), path));
        Assert.True(File.Exists(young));
        Assert.Equal([new ObjectInfo(handle, 10)], await ListAllAsync(ObjectKind.Pack));
    }

    [Fact]
    public async Task SaveAsync_Object_IsReadOnlyAndLeavesNoTempFile()
    {
        var handle = NewHandle(ObjectKind.Index);

        await Storage.SaveAsync(handle, RandomBytes(10), CancellationToken.None);

        var path = Path.Combine(Root, handle.RelativePath);
        Assert.Equal(0x124u, Posix.LStat(path).Permissions);
        Assert.Equal(1, Posix.LStat(path).Links);
        Assert.Equal([path], Directory.GetFiles(Path.Combine(Root, "index")));
        await Storage.DeleteAsync(handle, CancellationToken.None);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task CreateLayoutAsync_NewRoot_Has256DataDirectoriesAndPrivateRoot()
    {
        Assert.Equal(256, Directory.GetDirectories(Path.Combine(Root, "data")).Length);
        Assert.True(Directory.Exists(Path.Combine(Root, "data", "ff")));
        Assert.Equal(0x1C0u, Posix.LStat(Root).Permissions);
        foreach (var name in new[] { "keys", "index", "snapshots", "locks" })
        {
            Assert.True(Directory.Exists(Path.Combine(Root, name)), name);
        }

        await Task.CompletedTask;
    }

    [Fact]
    public async Task SaveAsync_MissingRoot_ThrowsRepositoryNotFound()
    {
        await using var storage = new LocalStorage(new LocalStorageOptions(Path.Combine(_parent, "nowhere")));

        Assert.False(await storage.RepositoryExistsAsync(CancellationToken.None));
        await Assert.ThrowsAsync<RepositoryNotFoundException>(
            async () => await storage.SaveAsync(ObjectHandle.Config, RandomBytes(3), CancellationToken.None));
        Assert.False(Directory.Exists(Path.Combine(_parent, "nowhere")));
    }

    [Theory]
    [InlineData("../../etc")]
    [InlineData("ABCD")]
    [InlineData("a")]
    [InlineData("")]
    public async Task SaveAsync_NameNotLowerHex_ThrowsArgumentException(string name)
    {
        await Assert.ThrowsAsync<ArgumentException>(
            async () => await Storage.SaveAsync(new ObjectHandle(ObjectKind.Key, name), RandomBytes(3), CancellationToken.None));
    }
}
