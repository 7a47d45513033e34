using Stackvault.Locking;

namespace Stackvault.Tests.Locking;

public sealed class StaleLockTests : IAsyncLifetime
{
    private readonly LockTestRepository _repo = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _repo.DisposeAsync();

    [Fact]
    public async Task RemoveStaleAsync_OtherHostUnchanged_RemovedOnlyAfterItsLease()
    {
        var frozen = new ManualTimeProvider(new DateTimeOffset(2001, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var remote = await _repo.OtherHostManager(frozen).AcquireAsync(LockKind.Exclusive, "prune", CancellationToken.None);

        var removing = _repo.Manager().RemoveStaleAsync(CancellationToken.None).AsTask();
        var advanced = TimeSpan.Zero;
        while (advanced < TimeSpan.FromSeconds(120))
        {
            Assert.False(removing.IsCompleted, $"removed after only {advanced}");
            Assert.Contains(remote.Handle, await _repo.LockObjectsAsync());
            await _repo.Time.AdvanceWhenWaitingAsync(TimeSpan.FromSeconds(15)); // the poll interval for a 120 s lease
            advanced += TimeSpan.FromSeconds(15);
        }

        await _repo.Time.AdvanceWhenWaitingAsync(TimeSpan.FromSeconds(15));
        var removed = await removing.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(remote.Handle, Assert.Single(removed).Handle);
        Assert.Empty(await _repo.LockObjectsAsync());
    }

    [Fact]
    public async Task RemoveStaleAsync_OtherHostStillRefreshing_NotRemoved()
    {
        var remoteTime = new ManualTimeProvider(new DateTimeOffset(2001, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var remote = await _repo.OtherHostManager(remoteTime).AcquireAsync(LockKind.Shared, "backup", CancellationToken.None);
        Assert.Equal(LockState.PossiblyStale, Assert.Single(await _repo.ListAsync()).State);

        var removing = _repo.Manager().RemoveStaleAsync(CancellationToken.None).AsTask();
        await _repo.Time.AdvanceWhenWaitingAsync(TimeSpan.FromSeconds(15));
        await remoteTime.AdvanceWhenWaitingAsync(TimeSpan.FromSeconds(30)); // the holder's heartbeat
        await ManualTimeProvider.WaitUntilAsync(() => remote.Record.Sequence == 1, "remote refresh");
        await _repo.Time.AdvanceUntilCompletedAsync(removing, TimeSpan.FromSeconds(15));

        Assert.Empty(await removing);
        Assert.Equal([remote.Handle], await _repo.LockObjectsAsync());
    }

    [Fact]
    public async Task RemoveStaleAsync_DeadLocalAndLiveLocal_RemovesOnlyTheDeadAtOnce()
    {
        await using var live = await _repo.Manager().AcquireAsync(LockKind.Shared, "backup", CancellationToken.None);
        var dead = await _repo.DeadProcessManager().AcquireAsync(LockKind.Shared, "backup", CancellationToken.None);

        var removed = await _repo.Manager().RemoveStaleAsync(CancellationToken.None);

        Assert.Equal(dead.Handle, Assert.Single(removed).Handle);
        Assert.Equal([live.Handle], await _repo.LockObjectsAsync());
    }

    [Fact]
    public async Task RemoveAllAsync_LiveAndRemote_RemovesEverything()
    {
        await using var live = await _repo.Manager().AcquireAsync(LockKind.Shared, "backup", CancellationToken.None);
        await using var remote = await _repo.OtherHostManager(new ManualTimeProvider()).AcquireAsync(LockKind.Shared, "restore", CancellationToken.None);

        var removed = await _repo.Manager().RemoveAllAsync(CancellationToken.None);

        Assert.Equal(2, removed.Count);
        Assert.Empty(await _repo.LockObjectsAsync());
    }
}
