using Stackvault.Backup;
using Stackvault.Locking;
using Stackvault.Storage.Local;
using Stackvault.Tests.Platform;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Backup;

/// <summary>
/// The backup's read-ahead (<see cref="SourceReadAhead"/>): the files the walk will read are asked of the kernel ahead
/// of their readers (the kernel's own counts show their pages arriving without the process reading them), within a
/// bounded window, never the files the parent snapshot already holds, and without hiding from the page-cache rule
/// that a file was cold before the backup touched it.
/// </summary>
public sealed class SourceReadAheadTests
{
    private const string Password = "test-password";

    [PageCacheFact]
    public async Task Name_AColdFile_ItsPagesArriveWithoutAnyRead_AndItsReaderLearnsItWasCold()
    {
        using var temp = new TempDirectory();
        var cold = Path.Combine(temp.Path, "cold.bin");
        var hot = Path.Combine(temp.Path, "hot.bin");
        await File.WriteAllBytesAsync(cold, PageCacheProbe.Random(8 << 20, seed: 3));
        await File.WriteAllBytesAsync(hot, PageCacheProbe.Random(1 << 20, seed: 4));
        PageCacheProbe.MakeCold(cold);
        PageCacheProbe.MakeHot(hot);
        using var readAhead = new SourceReadAhead();

        var coldTicket = readAhead.Name(cold, new FileInfo(cold).Length);
        var hotTicket = readAhead.Name(hot, new FileInfo(hot).Length);

        await WaitAsync(() => readAhead.Requested == 2, "the read-ahead thread never asked for both files");
        await WaitAsync(() => PageCacheProbe.CachedPages(cold) == PageCacheProbe.FilePages(cold), $"only {PageCacheProbe.CachedPages(cold)} of {PageCacheProbe.FilePages(cold)} pages arrived");
        Assert.True(coldTicket.Take()); // cold before its read-ahead: the backup may still let go of its pages
        Assert.False(hotTicket.Take()); // cached by someone else: left cached
    }

    [Fact]
    public void Window_BoundsWhatIsNamedAndNotTaken_InBytesAndInFiles()
    {
        using var readAhead = new SourceReadAhead();
        var missing = Path.Combine(Path.GetTempPath(), "sv-read-ahead-" + Guid.NewGuid().ToString("N"));

        var large = readAhead.Name(missing, 10L << 30); // counted as one window, not as its size
        Assert.False(readAhead.HasRoom);
        Assert.Null(large.Take()); // could not be opened (or its reader came first): the reader looks itself
        Assert.True(readAhead.HasRoom);
        large.Take(); // a second take gives nothing back twice
        Assert.True(readAhead.HasRoom);

        var small = new List<SourceReadAhead.Ticket>();
        while (readAhead.HasRoom)
        {
            small.Add(readAhead.Name(missing, 1));
        }

        Assert.Equal(SourceReadAhead.WindowFiles, small.Count);
        small[0].Take();
        Assert.True(readAhead.HasRoom);
    }

    [Fact]
    public async Task Backup_NamesTheFilesItReads_NeverTheOnesTheParentHolds()
    {
        using var temp = new TempDirectory();
        var source = temp.Sub("src");
        Directory.CreateDirectory(Path.Combine(source, "chunks"));
        for (var i = 0; i < 20; i++)
        {
            await File.WriteAllBytesAsync(Path.Combine(source, "chunks", $"{i:D6}"), PageCacheProbe.Random(100_000 + i, seed: i));
        }

        await File.WriteAllBytesAsync(Path.Combine(source, "empty"), []);
        await File.WriteAllBytesAsync(Path.Combine(source, "skipped.tmp"), PageCacheProbe.Random(1000, seed: 99));
        var repositoryPath = temp.Sub("repo");
        await new CliRunner(repositoryPath, Password).InitAsync();

        Assert.Equal(20, await BackupAsync(repositoryPath, source)); // not the empty file, not the excluded one
        File.AppendAllText(Path.Combine(source, "chunks", "000007"), "grown");
        await File.WriteAllBytesAsync(Path.Combine(source, "chunks", "000020"), PageCacheProbe.Random(5000, seed: 20));
        Assert.Equal(2, await BackupAsync(repositoryPath, source)); // the changed file and the new one
        Assert.Equal(0, await BackupAsync(repositoryPath, source)); // nothing changed: nothing read, nothing read ahead
    }

    [Fact]
    public async Task Walk_GoesOnIntoTheNextDirectory_WhileAFileOfTheLastOneIsStillBeingStored()
    {
        using var temp = new TempDirectory();
        var source = temp.Sub("src");
        foreach (var dir in new[] { "a", "b" })
        {
            Directory.CreateDirectory(Path.Combine(source, dir));
            await File.WriteAllBytesAsync(Path.Combine(source, dir, "1"), PageCacheProbe.Random(10_000, seed: dir[0]));
        }

        var repositoryPath = temp.Sub("repo");
        await new CliRunner(repositoryPath, Password).InitAsync();
        var nextDirectoryReached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = new BackupOptions
        {
            Paths = [source],
            FileConcurrency = 2,
            BeforeFile = async (path, ct) =>
            {
                if (path.EndsWith("/b/1", StringComparison.Ordinal))
                {
                    nextDirectoryReached.TrySetResult();
                }
                else if (path.EndsWith("/a/1", StringComparison.Ordinal))
                {
                    // a/1 is not stored until the walk has started b/1: a walk that waits at the end of each directory never does
                    await nextDirectoryReached.Task.WaitAsync(TimeSpan.FromSeconds(20), ct);
                }
            },
        };

        var (_, result) = await RunAsync(repositoryPath, options);

        Assert.Equal(2, result.Snapshot.Summary!.FilesNew);
        Assert.Equal(3, result.Snapshot.Summary.DirsNew);
    }

    private static async Task<int> BackupAsync(string repositoryPath, string source) =>
        (await RunAsync(repositoryPath, new BackupOptions { Paths = [source], Excludes = ["*.tmp"] })).Runner.ReadAheadNamed;

    /// <summary>One backup in process; the runner is returned for what it counted.</summary>
    private static async Task<(BackupRunner Runner, BackupResult Result)> RunAsync(string repositoryPath, BackupOptions options)
    {
        var storage = new LocalStorage(new LocalStorageOptions(repositoryPath));
        await using var repository = await Stackvault.Repository.Repository.OpenAsync(storage, Password, TimeProvider.System, CancellationToken.None);
        await using var repositoryLock = await new LockManager(storage, new LockOptions(), TimeProvider.System).AcquireAsync(LockKind.Shared, "backup", CancellationToken.None);
        await repository.LoadIndexAsync(CancellationToken.None);
        var runner = new BackupRunner(repository, repositoryLock, options, new BackupProgress());
        var result = await runner.RunAsync(CancellationToken.None);
        Assert.False(result.IsPartial);
        return (runner, result);
    }

    private static async Task WaitAsync(Func<bool> condition, string message)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition(), message);
    }
}
