using Stackvault.Backup;
using Stackvault.Platform;
using Stackvault.Tests.Platform;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Backup;

/// <summary>The listing of the source read ahead of the walk, while the repository opens (docs/benchmarks.md, no-change backup).</summary>
public class SourcePrescanTests
{
    [Fact]
    public void Take_GivesEachDirectorySortedWithItsLStat_OnceAndWithoutExcludedEntries()
    {
        using var temp = new TempDirectory();
        var source = temp.Sub("src");
        var generator = new TreeGenerator(71);
        generator.File(Path.Combine(source, "b", "2"), 10);
        generator.File(Path.Combine(source, "b", "10"), 20);
        generator.File(Path.Combine(source, "a.log"), 30);
        generator.File(Path.Combine(source, "Z"), 40);

        using var prescan = SourcePrescan.Start([source], ["*.log"]);
        var root = WaitFor(prescan, source);
        Assert.Equal(["Z", "a.log", "b"], root.Names);
        Assert.Null(root.Statuses[1]); // excluded: left to the walk, which skips it
        Assert.Equal(Posix.LStat(source + "/Z"), root.Statuses[0]);
        Assert.Equal(Posix.LStat(source + "/b"), root.Statuses[2]);

        var sub = WaitFor(prescan, source + "/b");
        Assert.Equal(["10", "2"], sub.Names);
        Assert.Equal(20, sub.Statuses[0]!.Value.Size);
        Assert.Null(prescan.Take(source + "/b")); // taken once: the walk then lists it itself
    }

    [Fact]
    public async Task Backup_WrongPassword_TouchesNothingInTheRepository()
    {
        using var temp = new TempDirectory();
        var source = temp.Sub("src");
        new TreeGenerator(72).File(Path.Combine(source, "d", "a"), 1000);
        var repo = temp.Sub("repo");
        await new CliRunner(repo).InitAsync();
        var before = Directory.GetFiles(repo, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();

        var result = await new CliRunner(repo, "not-the-password").ExpectAsync(12, "backup", source);

        Assert.Contains("wrong password", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, Directory.GetFiles(repo, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList());
    }

    [Fact]
    public async Task Backup_FileGoneAfterTheFirstBackup_IsDroppedAndAChangedFileIsReadAgain()
    {
        using var temp = new TempDirectory();
        var source = temp.Sub("src");
        var generator = new TreeGenerator(73);
        generator.File(Path.Combine(source, "d", "keep"), 5000);
        generator.File(Path.Combine(source, "d", "gone"), 5000);
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        await cli.RunOkAsync("backup", source);
        File.Delete(Path.Combine(source, "d", "gone"));
        File.AppendAllText(Path.Combine(source, "d", "keep"), "more");

        var summary = (await cli.RunOkAsync("backup", source, "--json")).Message("summary");

        Assert.Equal("complete", summary.GetProperty("status").GetString());
        Assert.Equal(1, summary.GetProperty("files_changed").GetInt64());
        Assert.Equal(0, summary.GetProperty("files_unmodified").GetInt64());
        Assert.Equal(5004, summary.GetProperty("bytes_read").GetInt64());
    }

    [PageCacheFact]
    public void Start_WhenTheBackupReadsEverything_ReadsTheFirstFilesAheadInTheWalksOrder_OnlyThen()
    {
        using var temp = new TempDirectory();
        var source = temp.Sub("src");
        Directory.CreateDirectory(Path.Combine(source, "a"));
        var first = Path.Combine(source, "a", "chunks");
        var excluded = Path.Combine(source, "a", "skip.tmp");
        File.WriteAllBytes(first, PageCacheProbe.Random(4 << 20, seed: 5));
        File.WriteAllBytes(excluded, PageCacheProbe.Random(1 << 20, seed: 6));
        PageCacheProbe.MakeCold(first);
        PageCacheProbe.MakeCold(excluded);

        using (var none = SourcePrescan.Start([source], ["*.tmp"], () => false))
        {
            WaitFor(none, source);
            Assert.Equal(0, none.ReadAheadBytes); // a backup with a parent: nothing read ahead
        }

        var asked = 0;
        using (var ahead = SourcePrescan.Start([source], ["*.tmp"], () => Interlocked.Increment(ref asked) > 0))
        {
            WaitFor(ahead, source);
            Assert.Equal(1, asked);
            Assert.Equal(4 << 20, ahead.ReadAheadBytes);
        }

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (PageCacheProbe.CachedPages(first) < PageCacheProbe.FilePages(first) && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(10);
        }

        Assert.Equal(PageCacheProbe.FilePages(first), PageCacheProbe.CachedPages(first)); // arrived without a read
        Assert.Equal(0, PageCacheProbe.CachedPages(excluded));

        using var failing = SourcePrescan.Start([source], [], () => throw new IOException("no repository"));
        WaitFor(failing, source);
        Assert.Equal(0, failing.ReadAheadBytes); // a hint that fails is no hint
    }

    [Fact]
    public async Task Backup_ReadsEverything_InAnEmptyRepository_NotOnceItHoldsASnapshot()
    {
        using var temp = new TempDirectory();
        var source = temp.Sub("src");
        new TreeGenerator(72).File(Path.Combine(source, "f"), 100_000);
        var repository = temp.Sub("repo");
        var cli = new CliRunner(repository, "pw");
        await cli.InitAsync();

        Assert.True(Stackvault.Cli.Commands.BackupCommand.NoSnapshotYet(repository)); // a first backup reads every file: read ahead
        await cli.RunOkAsync("backup", source);
        Assert.False(Stackvault.Cli.Commands.BackupCommand.NoSnapshotYet(repository)); // a parent may exist: only the walk reads ahead
        Assert.False(Stackvault.Cli.Commands.BackupCommand.NoSnapshotYet(temp.Sub("absent"))); // no repository: the backup fails as it opens
    }

    private static SourcePrescan.Listing WaitFor(SourcePrescan prescan, string directory)
    {
        // Take gives up (and stops the prescan) when a listing is not there yet: let the thread finish first.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!prescan.IsDone && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(5);
        }

        return prescan.Take(directory) ?? throw new InvalidOperationException($"{directory} was not listed");
    }
}
