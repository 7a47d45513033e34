using Stackvault.Errors;
using Stackvault.Locking;

namespace Stackvault.Tests.Locking;

public sealed class RepositoryLockTests : IAsyncLifetime
{
    private readonly LockTestRepository _repo = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _repo.DisposeAsync();

    [Fact]
    public async Task Heartbeat_AfterQuarterLease_ReplacesObjectAndBumpsSequence()
    {
        await using var held = await _repo.Manager().AcquireAsync(LockKind.Shared, "backup", CancellationToken.None);
        var first = held.Handle;

        await _repo.Time.AdvanceWhenWaitingAsync(TimeSpan.FromSeconds(30));
        await ManualTimeProvider.WaitUntilAsync(() => held.Record.Sequence == 1, "first refresh");

        var info = Assert.Single(await _repo.ListAsync());
        Assert.Equal(held.Handle, info.Handle);
        Assert.NotEqual(first, held.Handle);
        Assert.Equal(1, info.Record!.Sequence);
        Assert.Equal(first.Name, info.Record.Chain);
        Assert.Equal(info.Record.Created.AddSeconds(30), info.Record.Refreshed);
        held.ThrowIfLost();
    }

    [Fact]
    public async Task Heartbeat_ObjectRemovedExternally_CancelsLost()
    {
        var held = await _repo.Manager().AcquireAsync(LockKind.Exclusive, "prune", CancellationToken.None);
        Assert.Single(await _repo.Manager().RemoveAllAsync(CancellationToken.None));

        await _repo.Time.AdvanceWhenWaitingAsync(TimeSpan.FromSeconds(30));
        await ManualTimeProvider.WaitUntilAsync(() => held.Lost.IsCancellationRequested, "lost");

        var e = Assert.ThrowsAny<StackvaultException>(held.ThrowIfLost);
        Assert.StartsWith("lost the repository lock: ", e.Message, StringComparison.Ordinal);
        Assert.Contains("removed by someone else", e.Message, StringComparison.Ordinal);
        Assert.Empty(await _repo.LockObjectsAsync()); // no successor was written
        await held.DisposeAsync();
    }

    [Fact]
    public async Task Heartbeat_RefreshesKeepFailing_LostBeforeLeaseRunsOut()
    {
        var storage = new InterceptingStorage(_repo.Storage);
        await using var held = await _repo.Manager(storage: storage).AcquireAsync(LockKind.Shared, "backup", CancellationToken.None);
        storage.FailSaves = true;

        for (var elapsed = 0; !held.Lost.IsCancellationRequested; elapsed += 15)
        {
            Assert.True(elapsed < 90, "the lock should be lost within 3/4 of the 120 s lease");
            held.ThrowIfLost();
            await _repo.Time.AdvanceWhenWaitingAsync(TimeSpan.FromSeconds(15));
            await Task.Delay(20);
        }

        var e = Assert.ThrowsAny<StackvaultException>(held.ThrowIfLost);
        Assert.Contains("simulated outage", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThrowIfLost_WallClockJumpsPastDeadline_ThrowsWithoutWaitingForHeartbeat()
    {
        await using var held = await _repo.Manager().AcquireAsync(LockKind.Shared, "backup", CancellationToken.None);
        held.ThrowIfLost();

        _repo.Time.JumpWallClock(TimeSpan.FromSeconds(91)); // e.g. the machine was suspended: the monotonic clock stood still

        var e = Assert.ThrowsAny<StackvaultException>(held.ThrowIfLost);
        Assert.Contains("no successful refresh for 90 s of a 120 s lease", e.Message, StringComparison.Ordinal);
        Assert.True(held.Lost.IsCancellationRequested);
    }

    [Fact]
    public async Task DisposeAsync_RemovesObjectAndStopsHeartbeat()
    {
        var held = await _repo.Manager().AcquireAsync(LockKind.Shared, "backup", CancellationToken.None);
        await ManualTimeProvider.WaitUntilAsync(() => _repo.Time.PendingTimers == 1, "heartbeat waiting");

        await held.DisposeAsync();

        Assert.Empty(await _repo.LockObjectsAsync());
        Assert.Equal(0, _repo.Time.PendingTimers);
        await held.DisposeAsync(); // twice is fine
    }
}
