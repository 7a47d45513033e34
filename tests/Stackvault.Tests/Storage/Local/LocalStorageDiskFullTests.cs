using Stackvault.Errors;
using Stackvault.Storage;
using Stackvault.Storage.Local;

namespace Stackvault.Tests.Storage.Local;

public sealed class LocalStorageDiskFullTests
{
    [TmpfsFact]
    public async Task SaveAsync_DiskFull_ClearMessageAndNoPartialObject()
    {
        using var tmpfs = TinyTmpfs.TryMount(out var error) ?? throw new InvalidOperationException(error);
        var root = Path.Combine(tmpfs.Path, "repo");
        await using var storage = new LocalStorage(new LocalStorageOptions(root));
        await storage.CreateLayoutAsync(CancellationToken.None);
        var handle = new ObjectHandle(ObjectKind.Pack, new string('a', 64));

        var e = await Assert.ThrowsAnyAsync<StackvaultException>(
            async () => await storage.SaveAsync(handle, new byte[2 * 1024 * 1024], CancellationToken.None));

        Assert.Equal($"disk full while writing {Path.Combine(root, handle.RelativePath)}", e.Message);
        Assert.Empty(Directory.GetFiles(Path.Combine(root, "data", "aa")));
        await storage.SaveAsync(handle, new byte[1000], CancellationToken.None); // the space was given back
        Assert.Equal(1000, await storage.StatAsync(handle, CancellationToken.None));
    }
}
