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
        await new Support.Cli(temp.Sub("repo")).InitAsync();
        var result = await new Support.Cli(temp.Sub("repo"), "not-the-password").ExpectAsync(12, "backup", source);
        Assert.Contains("wrong password", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password", result.Stderr + result.Stdout, StringComparison.Ordinal);
        await new Support.Cli(temp.Sub("repo"), null).ExpectAsync(12, "snapshots");
    }

    [Fact]
    public async Task Open_MissingRepository_Exits10()
    {
        using var temp = new TempDirectory();
        var result = await new Support.Cli(temp.Sub("nothing-here")).ExpectAsync(10, "snapshots");
        Assert.Contains("repository not found", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backup_ExclusivelyLockedByLiveProcess_Exits11()
    {
        using var temp = new TempDirectory();
        var source = temp.Sub("src");
        new TreeGenerator(32).File(Path.Combine(source, "a"), 10);
        var repository = temp.Sub("repo");
        var cli = new Support.Cli(repository);
        await cli.InitAsync();
        var manager = new LockManager(new LocalStorage(new LocalStorageOptions { Root = repository }), new LockOptions(), TimeProvider.System);
        await using (await manager.AcquireAsync(LockKind.Exclusive, "prune", CancellationToken.None))
        {
            var result = await cli.ExpectAsync(11, "backup", source);
            Assert.Contains("locked", result.Stderr, StringComparison.Ordinal);
        }

        await cli.RunOkAsync("backup", source);
    }

    [Theory]
    [InlineData("backup")]
    [InlineData("restore", "latest")]
    [InlineData("verify", "--read-data-subset", "9/4")]
    [InlineData("no-such-command")]
    public async Task Parse_BadUsage_Exits2(params string[] args)
    {
        using var temp = new TempDirectory();
        await new Support.Cli(temp.Sub("repo")).ExpectAsync(2, args);
    }

    [Fact]
    public async Task Backup_UnreadableFile_Exits3WithPartialSnapshot()
    {
        if (Platform.Posix.GetUid() == 0)
        {
            // root reads everything: make the item unreadable another way, by removing it mid-walk is racy;
            // a directory without execute permission still blocks root? No: use a FIFO-free trick below.
        }

        using var temp = new TempDirectory();
        var source = temp.Sub("src");
        var generator = new TreeGenerator(33);
        generator.File(Path.Combine(source, "ok.txt"), 10);
        Platform.Posix.MkFifo(Path.Combine(source, "ok-fifo"), 0x1A4);
        var socketPath = Path.Combine(source, "daemon.sock");
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        socket.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(socketPath));
        var cli = new Support.Cli(temp.Sub("repo"));
        await cli.InitAsync();
        var result = await cli.ExpectAsync(3, "backup", source, "--json");
        var summary = result.Message("summary");
        Assert.Equal("partial", summary.GetProperty("status").GetString());
        var show = (await cli.RunOkAsync("show", "latest", "--json")).Json();
        Assert.Equal("partial", show.GetProperty("snapshot").GetProperty("status").GetString());
        Assert.Contains(show.GetProperty("snapshot").GetProperty("errors").EnumerateArray(), e => e.GetProperty("path").GetString() == socketPath);
    }
}
