using Stackvault.Cli;
using Stackvault.Errors;
using Stackvault.Locking;
using Stackvault.Storage.Local;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Cli;

public class ExitCodeTests
{
    [Fact]
    public async Task Open_WrongPassword_Exits12()
    {
        using var temp = new TempDirectory();
        var source = temp.Sub("src");
        new TreeGenerator(31).File(Path.Combine(source, "a"), 10);
        await new CliRunner(temp.Sub("repo")).InitAsync();
        var result = await new CliRunner(temp.Sub("repo"), "not-the-password").ExpectAsync(12, "backup", source);
        Assert.Contains("wrong password", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password", result.Stderr + result.Stdout, StringComparison.Ordinal);
        await new CliRunner(temp.Sub("repo"), null).ExpectAsync(12, "snapshots");
    }

    [Fact]
    public async Task Open_MissingRepository_Exits10()
    {
        using var temp = new TempDirectory();
        var result = await new CliRunner(temp.Sub("nothing-here")).ExpectAsync(10, "snapshots");
        Assert.Contains("repository not found", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backup_ExclusivelyLockedByLiveProcess_Exits11()
    {
        using var temp = new TempDirectory();
        var source = temp.Sub("src");
        new TreeGenerator(32).File(Path.Combine(source, "a"), 10);
        var repository = temp.Sub("repo");
        var cli = new CliRunner(repository);
        await cli.InitAsync();
        var manager = new LockManager(new LocalStorage(new LocalStorageOptions(repository)), new LockOptions(), TimeProvider.System);
        await using (await manager.AcquireAsync(LockKind.Exclusive, "prune", CancellationToken.None))
        {
            var result = await cli.ExpectAsync(11, "backup", source);
            Assert.Contains("locked", result.Stderr, StringComparison.Ordinal);
        }

        await cli.RunOkAsync("backup", source);
    }

    /// <summary>The core's exceptions carry no code: their type chooses it, in ErrorMapper alone, with the message unchanged.</summary>
    [Fact]
    public void Map_TypedException_ChoosesTheDocumentedCode()
    {
        var cases = new (Exception Error, ExitCode Code)[]
        {
            (new UsageException("bad option"), ExitCode.Usage),
            (new RepositoryNotFoundException("/nowhere"), ExitCode.RepositoryNotFound),
            (new LocationNotFoundException("bucket 'b' does not exist"), ExitCode.RepositoryNotFound),
            (new RepositoryLockedException("prune on host"), ExitCode.Locked),
            (new WrongPasswordException(), ExitCode.WrongPassword),
            (new CorruptObjectException(new Stackvault.Storage.ObjectHandle(Stackvault.Storage.ObjectKind.Snapshot, "ab"), "bad"), ExitCode.Failure),
            (new StackvaultException("failed"), ExitCode.Failure),
            (new OperationCanceledException(), ExitCode.Interrupted),
        };

        foreach (var (error, code) in cases)
        {
            var (mapped, message) = ErrorMapper.Map(error);
            Assert.True(mapped == code, $"{error.GetType().Name} maps to {mapped}, not {code}");
            Assert.Equal(error is OperationCanceledException ? "interrupted" : error.Message, message);
        }

        Assert.Equal("repository not found at /nowhere", ErrorMapper.Map(new RepositoryNotFoundException("/nowhere")).Message);
    }

    [Theory]
    [InlineData("backup")]
    [InlineData("restore", "latest")]
    [InlineData("verify", "--read-data-subset", "9/4")]
    [InlineData("no-such-command")]
    public async Task Parse_BadUsage_Exits2(params string[] args)
    {
        using var temp = new TempDirectory();
        await new CliRunner(temp.Sub("repo")).ExpectAsync(2, args);
    }

    [Fact]
    public async Task Backup_UnreadableFile_Exits3WithPartialSnapshotItemizingIt()
    {
        using var temp = new TempDirectory();
        File.SetUnixFileMode(temp.Path, (UnixFileMode)0x1FF);
        var source = temp.Sub("src");
        var generator = new TreeGenerator(33);
        generator.File(Path.Combine(source, "ok.txt"), 10);
        generator.File(Path.Combine(source, "secret.txt"), 10);
        File.SetUnixFileMode(Path.Combine(source, "secret.txt"), UnixFileMode.None);
        var repository = temp.Sub("repo");
        Directory.CreateDirectory(repository);
        File.SetUnixFileMode(repository, (UnixFileMode)0x1FF);

        // As root every file is readable: run the CLI as nobody so the permission bites.
        var cli = new CliRunner(repository) { RunAsUid = Stackvault.Platform.Posix.GetUid() == 0 ? 65534 : null };
        await cli.InitAsync();
        var result = await cli.ExpectAsync(3, "backup", source, "--json");
        Assert.Equal("partial", result.Message("summary").GetProperty("status").GetString());
        var show = (await cli.RunOkAsync("show", "latest", "--json")).Json();
        Assert.Equal("partial", show.GetProperty("snapshot").GetProperty("status").GetString());
        var error = Assert.Single(show.GetProperty("snapshot").GetProperty("errors").EnumerateArray());
        Assert.Equal(Path.Combine(source, "secret.txt"), error.GetProperty("path").GetString());
        Assert.Contains(show.GetProperty("entries").EnumerateArray(), e => e.GetProperty("path").GetString()!.EndsWith("/ok.txt", StringComparison.Ordinal));
    }
}
