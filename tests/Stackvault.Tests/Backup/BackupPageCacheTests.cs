using Stackvault.Backup;
using Stackvault.Locking;
using Stackvault.Storage.Local;
using Stackvault.Tests.Platform;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Backup;

/// <summary>
/// A backup leaves the page cache as it found it (<see cref="Stackvault.Platform.PageCache"/>): past what the page
/// cache takes without pressure, a source file that was not cached is let go once read, one that was cached (a
/// service is using it) stays cached, and the packs written are let go once synced; below it, the kernel keeps them.
/// Counted by the kernel (cachestat); the backup runs in process, with both thresholds at 0 and at their defaults.
/// </summary>
public sealed class BackupPageCacheTests
{
    private const string Password = "test-password";

    [PageCacheFact]
    public async Task Backup_PastTheThreshold_LetsGoOfColdSourcesAndItsPacks_KeepsHotSourcesCached()
    {
        using var temp = new TempDirectory();
        var (cold, hot) = await SourcesAsync(temp);
        var repositoryPath = temp.Sub("repo");
        var cli = new CliRunner(repositoryPath, Password);
        await cli.InitAsync();

        await BackupAsync(repositoryPath, temp.Sub("src"), letGoAfter: 0);

        Assert.Equal(0, PageCacheProbe.CachedPages(cold));
        Assert.Equal(PageCacheProbe.FilePages(hot), PageCacheProbe.CachedPages(hot));
        var packs = Packs(repositoryPath);
        Assert.True(packs.Sum(PageCacheProbe.FilePages) > (40 << 20) / Environment.SystemPageSize, "random data is stored whole");
        Assert.Equal(0, packs.Sum(PageCacheProbe.CachedPages));
        await cli.RunOkAsync("verify", "--read-data"); // and the backup is whole
    }

    [PageCacheFact]
    public async Task Backup_BelowTheThreshold_LeavesTheCacheToTheKernel()
    {
        using var temp = new TempDirectory();
        var (cold, _) = await SourcesAsync(temp);
        var repositoryPath = temp.Sub("repo");
        await new CliRunner(repositoryPath, Password).InitAsync();

        await BackupAsync(repositoryPath, temp.Sub("src"), letGoAfter: null);

        Assert.Equal(PageCacheProbe.FilePages(cold), PageCacheProbe.CachedPages(cold));
        var packs = Packs(repositoryPath);
        Assert.Equal(packs.Sum(PageCacheProbe.FilePages), packs.Sum(PageCacheProbe.CachedPages));
    }

    private static async Task<(string Cold, string Hot)> SourcesAsync(TempDirectory temp)
    {
        var source = temp.Sub("src");
        Directory.CreateDirectory(source);
        var cold = Path.Combine(source, "cold-chunks.bin");
        var hot = Path.Combine(source, "hot-wal.bin");
        await File.WriteAllBytesAsync(cold, PageCacheProbe.Random(36 << 20, seed: 1)); // over two drop intervals
        await File.WriteAllBytesAsync(hot, PageCacheProbe.Random(6 << 20, seed: 2));
        PageCacheProbe.MakeCold(cold);
        PageCacheProbe.MakeHot(hot);
        return (cold, hot);
    }

    private static List<string> Packs(string repositoryPath) =>
        Directory.EnumerateFiles(Path.Combine(repositoryPath, "data"), "*", SearchOption.AllDirectories).ToList();

    private static async Task BackupAsync(string repositoryPath, string source, long? letGoAfter)
    {
        var storage = new LocalStorage(new LocalStorageOptions(repositoryPath) { LetGoOfPacksAfter = letGoAfter });
        await using var repository = await Stackvault.Repository.Repository.OpenAsync(storage, Password, TimeProvider.System, CancellationToken.None);
        await using var repositoryLock = await new LockManager(storage, new LockOptions(), TimeProvider.System).AcquireAsync(LockKind.Shared, "backup", CancellationToken.None);
        await repository.LoadIndexAsync(CancellationToken.None);
        var options = new BackupOptions { Paths = [source], LetGoOfSourcesAfter = letGoAfter };
        var result = await new BackupRunner(repository, repositoryLock, options, new BackupProgress()).RunAsync(CancellationToken.None);
        Assert.False(result.IsPartial);
    }
}
