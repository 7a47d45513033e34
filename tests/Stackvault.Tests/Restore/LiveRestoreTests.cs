using Stackvault.Tests.Jobs;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Restore;

/// <summary>
/// <c>restore SNAPSHOT --component NAME</c> without --target, through the real CLI: into the live paths of a files
/// component from stackvault.yaml. The plan, the confirmation, the pre-restore copies, --cleanup, --rollback, and a
/// corrupted repository that must leave the live data untouched.
/// </summary>
public sealed class LiveRestoreTests
{
    /// <summary>Live data a/ (two files) and b/ (one 3 MiB file), backed up by job j; returns the CLI and the config.</summary>
    private static async Task<(CliRunner Cli, string Config)> BackedUpAsync(TempDirectory temp, string extraPath = "")
    {
        Directory.CreateDirectory(temp.Sub("live/a/sub"));
        Directory.CreateDirectory(temp.Sub("live/b"));
        File.WriteAllText(temp.Sub("live/a/one.txt"), "one\n");
        File.WriteAllText(temp.Sub("live/a/sub/two.txt"), "two\n");
        var big = new byte[3 << 20];
        new Random(7).NextBytes(big);
        File.WriteAllBytes(temp.Sub("live/b/big.bin"), big);
        var config = Config(temp, "");
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        await cli.ExpectAsync(0, "backup", "--job", "j", "--config", config);
        return (cli, extraPath.Length == 0 ? config : Config(temp, extraPath));
    }

    private static string Config(TempDirectory temp, string extraPath) => JobManifests.WriteConfig(temp, temp.Sub("repo"), $"""
        components:
          etc: {"{"} type: files, paths: [{temp.Sub("live/a")}, {temp.Sub("live/b")}{extraPath}] {"}"}
        jobs:
          j: {"{"} repository: main, components: [etc] {"}"}
        """);

    private static string Hash(string root, Func<string, bool>? skip = null) => TreeHash.Of(root, skip);

    [Fact]
    public async Task DryRun_PlansCreateReplaceLeave_InTextAndJson_ChangesNothing()
    {
        using var temp = new TempDirectory();
        var (cli, config) = await BackedUpAsync(temp, ", " + temp.Sub("live/c"));
        File.WriteAllText(temp.Sub("live/a/one.txt"), "changed\n");
        Directory.Delete(temp.Sub("live/b"), recursive: true);
        var before = Hash(temp.Sub("live"));

        var text = await cli.ExpectAsync(0, "restore", "latest", "--component", "etc", "--config", config, "--dry-run");
        var json = await cli.ExpectAsync(0, "restore", "latest", "--component", "etc", "--config", config, "--dry-run", "--json");

        Assert.Matches($@"replace +etc/.*live/a -> {temp.Sub("live/a")}: 2 files", text.Stdout);
        Assert.Matches($@"create +etc/.*live/b -> {temp.Sub("live/b")}: 1 files, 3\.00 MiB", text.Stdout);
        Assert.Matches($@"leave +etc/.*live/c -> {temp.Sub("live/c")}: 0 files.*not in the snapshot", text.Stdout);
        var plan = json.Message("summary").GetProperty("plan").EnumerateArray()
            .Select(e => (e.GetProperty("live").GetString(), e.GetProperty("action").GetString(), e.GetProperty("files").GetInt64())).ToList();
        Assert.Equal([(temp.Sub("live/a"), "replace", 2L), (temp.Sub("live/b"), "create", 1L), (temp.Sub("live/c"), "leave", 0L)], plan);
        Assert.Equal(before, Hash(temp.Sub("live")));
        Assert.Equal(["a"], Entries(temp.Sub("live")));
    }

    [Fact]
    public async Task Replace_WithoutYes_Exit2_Untouched_WithYes_KeepsPreRestore_CleanupRemovesIt()
    {
        using var temp = new TempDirectory();
        var (cli, config) = await BackedUpAsync(temp);
        var snapshotHash = Hash(temp.Sub("live"));
        File.WriteAllText(temp.Sub("live/a/one.txt"), "changed\n");
        File.WriteAllText(temp.Sub("live/a/new.txt"), "new\n");
        var changedHash = Hash(temp.Sub("live/a"));

        var refused = await cli.ExpectAsync(2, "restore", "latest", "--component", "etc", "--config", config);
        Assert.Contains("--yes", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal(changedHash, Hash(temp.Sub("live/a")));

        await cli.ExpectAsync(0, "restore", "latest", "--component", "etc", "--config", config, "--yes");

        Assert.Equal(snapshotHash, Hash(temp.Sub("live"), skip: n => n.Contains(".pre-restore-", StringComparison.Ordinal)));
        var kept = Assert.Single(Entries(temp.Sub("live")), n => n.StartsWith("a.pre-restore-", StringComparison.Ordinal));
        Assert.Equal(changedHash, Hash(temp.Sub("live/" + kept)));
        Assert.Single(Entries(temp.Sub("live")), n => n.StartsWith("b.pre-restore-", StringComparison.Ordinal));
        Assert.DoesNotContain(Entries(temp.Sub("live")), n => n.Contains(".stackvault-", StringComparison.Ordinal));

        var cleanup = await cli.ExpectAsync(0, "restore", "--cleanup", "--component", "etc", "--config", config);
        Assert.Contains("removed 2 pre-restore copies", cleanup.Stdout, StringComparison.Ordinal);
        Assert.Equal(["a", "b"], Entries(temp.Sub("live")));
        Assert.Equal(snapshotHash, Hash(temp.Sub("live")));
    }

    [Fact]
    public async Task SecondRestore_RemovesTheOlderCopy_Rollback_PutsTheNewestBack()
    {
        using var temp = new TempDirectory();
        var (cli, config) = await BackedUpAsync(temp);
        File.WriteAllText(temp.Sub("live/a/one.txt"), "first change\n");
        await cli.ExpectAsync(0, "restore", "latest", "--component", "etc", "--config", config, "--yes");
        await Task.Delay(1100); // the copies are named by the second
        File.WriteAllText(temp.Sub("live/a/one.txt"), "second change\n");
        var secondHash = Hash(temp.Sub("live/a"));

        await cli.ExpectAsync(0, "restore", "latest", "--component", "etc", "--config", config, "--yes");

        var kept = Assert.Single(Entries(temp.Sub("live")), n => n.StartsWith("a.pre-restore-", StringComparison.Ordinal));
        Assert.Equal(secondHash, Hash(temp.Sub("live/" + kept)));

        var rollback = await cli.ExpectAsync(0, "restore", "--rollback", "--component", "etc", "--config", config);
        Assert.Contains("back to the copy of", rollback.Stdout, StringComparison.Ordinal);
        Assert.Equal("second change\n", File.ReadAllText(temp.Sub("live/a/one.txt")));
    }

    [Fact]
    public async Task CorruptedDataPack_StagedCopyFails_LiveByteIdentical_Exit1_NamesTheObject()
    {
        using var temp = new TempDirectory();
        var (cli, config) = await BackedUpAsync(temp);
        File.WriteAllText(temp.Sub("live/a/one.txt"), "live now\n");
        var before = Hash(temp.Sub("live"));
        var pack = Directory.EnumerateFiles(temp.Sub("repo/data"), "*", SearchOption.AllDirectories).MaxBy(f => new FileInfo(f).Length)!;
        var bytes = File.ReadAllBytes(pack);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.SetAttributes(pack, FileAttributes.Normal);
        File.WriteAllBytes(pack, bytes);

        var result = await cli.ExpectAsync(1, "restore", "latest", "--component", "etc", "--config", config, "--yes");

        Assert.Contains("corrupt object data/" + Path.GetFileName(pack)[..2] + "/" + Path.GetFileName(pack), result.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, Hash(temp.Sub("live")));
        Assert.Equal(["a", "b"], Entries(temp.Sub("live")));
        Assert.DoesNotContain(Entries(temp.Path), n => n.StartsWith(".stackvault-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NoTargetNoComponent_Exit2_UnknownComponent_Exit2()
    {
        using var temp = new TempDirectory();
        var (cli, config) = await BackedUpAsync(temp);

        var none = await cli.ExpectAsync(2, "restore", "latest");
        var unknown = await cli.ExpectAsync(2, "restore", "latest", "--component", "nope", "--config", config);

        Assert.Contains("--target DIR, or --component NAME", none.Stderr, StringComparison.Ordinal);
        Assert.Contains("no component named 'nope'", unknown.Stderr, StringComparison.Ordinal);
    }

    private static List<string> Entries(string directory) =>
        [.. Directory.EnumerateFileSystemEntries(directory).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];
}
