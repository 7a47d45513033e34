using Stackvault.Tests.Platform;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Backup;

/// <summary>
/// A backup leaves the page cache as it found it (<see cref="Stackvault.Platform.PageCache"/>): a source file that
/// was not cached is let go once read, one that was cached (a service is using it) stays cached, and the packs it
/// writes are let go once synced. Counted by the kernel (cachestat), through the real CLI.
/// </summary>
public sealed class BackupPageCacheTests
{
    [PageCacheFact]
    public async Task Backup_LetsGoOfColdSourcesAndItsPacks_KeepsHotSourcesCached()
    {
        using var temp = new TempDirectory();
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        var source = temp.Sub("src");
        Directory.CreateDirectory(source);
        var cold = Path.Combine(source, "cold-chunks.bin");
        var hot = Path.Combine(source, "hot-wal.bin");
        await File.WriteAllBytesAsync(cold, PageCacheProbe.Random(36 << 20, seed: 1)); // over two drop intervals
        await File.WriteAllBytesAsync(hot, PageCacheProbe.Random(6 << 20, seed: 2));
        PageCacheProbe.MakeCold(cold);
        PageCacheProbe.MakeHot(hot);

        await cli.RunOkAsync("backup", source);

        Assert.Equal(0, PageCacheProbe.CachedPages(cold));
        Assert.Equal(PageCacheProbe.FilePages(hot), PageCacheProbe.CachedPages(hot));
        var packs = Directory.EnumerateFiles(Path.Combine(cli.Repository, "data"), "*", SearchOption.AllDirectories).ToList();
        Assert.True(packs.Sum(PageCacheProbe.FilePages) > (40 << 20) / Environment.SystemPageSize, "random data is stored whole");
        Assert.Equal(0, packs.Sum(PageCacheProbe.CachedPages));

        // And the backup is whole: a check that reads every byte back passes.
        await cli.RunOkAsync("verify", "--read-data");
    }
}
