using System.Diagnostics;
using Stackvault.Locking;
using Stackvault.Platform;
using Stackvault.Storage;
using Stackvault.Storage.Local;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Cli;

/// <summary>The stale-lock rules as an operator meets them: <c>stackvault unlock</c> in a separate process.</summary>
public class UnlockTests
{
    [Fact]
    public async Task Unlock_DeadLocalProcessAndLiveLocalProcess_RemovesOnlyTheDeadOnesLock()
    {
        using var temp = new TempDirectory();
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        var dead = await PlantAsync(cli, Posix.HostName, ReapedPid(), 12345, 120);
        var live = await PlantAsync(cli, Posix.HostName, Environment.ProcessId, Posix.CurrentProcessStartTicks, 120);

        var json = (await cli.RunOkAsync("unlock", "--json")).Json();
        Assert.Equal([dead.Name], json.GetProperty("removed").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([Path.Combine(cli.Repository, live.RelativePath)], RepositoryFiles.Objects(cli.Repository, "locks"));
    }

    [Fact]
    public async Task Unlock_OtherHostsUnrefreshedLock_RemovedOnlyAfterWatchingItForItsLease()
    {
        using var temp = new TempDirectory();
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        var remote = await PlantAsync(cli, "other-host", 4242, 1, leaseSeconds: 2);
        var clock = Stopwatch.StartNew();
        var json = (await cli.RunOkAsync("unlock", "--json")).Json();
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(2), $"removed after {clock.Elapsed}, before its 2 s lease was observed");
        Assert.Equal([remote.Name], json.GetProperty("removed").EnumerateArray().Select(e => e.GetString()));
        Assert.Empty(RepositoryFiles.Objects(cli.Repository, "locks"));
    }

    [Fact]
    public async Task Unlock_OtherHostsRefreshingLock_IsNotRemoved()
    {
        using var temp = new TempDirectory();
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        var options = new LockOptions { Hostname = "other-host", Pid = 4242, ProcessStart = 1, Lease = TimeSpan.FromSeconds(2) };
        var manager = new LockManager(new LocalStorage(new LocalStorageOptions(cli.Repository)), options, TimeProvider.System);
        await using var held = await manager.AcquireAsync(LockKind.Exclusive, "prune", CancellationToken.None);

        var json = (await cli.RunOkAsync("unlock", "--json")).Json();
        Assert.Equal(0, json.GetProperty("removed").GetArrayLength());
        held.ThrowIfLost();
        Assert.Single(RepositoryFiles.Objects(cli.Repository, "locks"));
    }

    [Fact]
    public async Task Unlock_RemoveAll_NeedsYes()
    {
        using var temp = new TempDirectory();
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        await PlantAsync(cli, Posix.HostName, Environment.ProcessId, Posix.CurrentProcessStartTicks, 120);
        var refused = await cli.ExpectAsync(2, "unlock", "--remove-all");
        Assert.Contains("--yes", refused.Stderr);
        Assert.Single(RepositoryFiles.Objects(cli.Repository, "locks"));
        await cli.RunOkAsync("unlock", "--remove-all", "--yes");
        Assert.Empty(RepositoryFiles.Objects(cli.Repository, "locks"));
    }

    /// <summary>Writes a lock object as another process would, with no heartbeat behind it.</summary>
    private static async Task<ObjectHandle> PlantAsync(CliRunner cli, string host, int pid, long start, int leaseSeconds)
    {
        var name = LockManager.NewLockName();
        var now = DateTimeOffset.UtcNow;
        var record = new LockRecord(1, true, "prune", host, pid, start, "someone", now, now, leaseSeconds, 0, name, Posix.PidNamespace);
        var handle = new ObjectHandle(ObjectKind.Lock, name);
        await using var storage = new LocalStorage(new LocalStorageOptions(cli.Repository));
        await storage.SaveAsync(handle, LockRecordCodec.Encode(record), CancellationToken.None);
        return handle;
    }

    private static int ReapedPid()
    {
        using var child = Process.Start("true")!;
        child.WaitForExit();
        return child.Id;
    }
}
