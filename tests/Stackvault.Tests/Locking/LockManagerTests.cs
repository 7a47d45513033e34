using Stackvault.Errors;
using Stackvault.Locking;

namespace Stackvault.Tests.Locking;

public sealed class LockManagerTests : IAsyncLifetime
{
    private readonly LockTestRepository _repo = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _repo.DisposeAsync();

    [Fact]
    public async Task AcquireAsync_SharedTwice_BothHeld()
    {
        await using var first = await _repo.Manager().AcquireAsync(LockKind.Shared, "backup", CancellationToken.None);
        await using var second = await _repo.OtherHostManager().AcquireAsync(LockKind.Shared, "restore", CancellationToken.None);

        Assert.Equal(2, (await _repo.LockObjectsAsync()).Count);
        Assert.NotEqual(first.Handle, second.Handle);
    }

    [Theory]
    [InlineData(LockKind.Shared, LockKind.Exclusive)]
    [InlineData(LockKind.Exclusive, LockKind.Shared)]
    [InlineData(LockKind.Exclusive, LockKind.Exclusive)]
    public async Task AcquireAsync_ConflictingKinds_ThrowsLockedNamingHolder(LockKind held, LockKind wanted)
    {
        await using var holder = await _repo.OtherHostManager(new ManualTimeProvider()).AcquireAsync(held, "prune-or-backup", CancellationToken.None);
        _repo.Time.Advance(TimeSpan.FromSeconds(75));

        var e = await Assert.ThrowsAsync<RepositoryLockedException>(
            async () => await _repo.Manager().AcquireAsync(wanted, "verify", CancellationToken.None));

        Assert.Equal(ExitCode.Locked, Stackvault.Cli.ErrorMapper.Map(e).Code);
        Assert.Contains("'prune-or-backup' on host host-b (pid 4242", e.Message, StringComparison.Ordinal);
        Assert.Contains("created 1m15s ago", e.Message, StringComparison.Ordinal);
        Assert.Equal([holder.Handle], await _repo.LockObjectsAsync());
    }

    [Fact]
    public async Task AcquireAsync_DeadProcessSameHost_IgnoredAndRemoved()
    {
        var dead = await _repo.DeadProcessManager().AcquireAsync(LockKind.Exclusive, "prune", CancellationToken.None);
        Assert.Equal(LockState.LocalDead, Assert.Single(await _repo.ListAsync()).State);

        await using var mine = await _repo.Manager().AcquireAsync(LockKind.Exclusive, "prune", CancellationToken.None);

        Assert.Equal([mine.Handle], await _repo.LockObjectsAsync());
        Assert.DoesNotContain(dead.Handle, await _repo.LockObjectsAsync());
    }

    [Fact]
    public async Task AcquireAsync_LiveSameHostAncientTimestamps_NeverStale()
    {
        var ancient = new ManualTimeProvider(new DateTimeOffset(2001, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var old = await _repo.Manager(time: ancient).AcquireAsync(LockKind.Shared, "backup", CancellationToken.None);

        var info = Assert.Single(await _repo.ListAsync());
        Assert.Equal(LockState.Live, info.State);
        await Assert.ThrowsAsync<RepositoryLockedException>(
            async () => await _repo.Manager().AcquireAsync(LockKind.Exclusive, "prune", CancellationToken.None));
        Assert.Empty(await _repo.Manager().RemoveStaleAsync(CancellationToken.None));
        Assert.Equal([old.Handle], await _repo.LockObjectsAsync());
    }

    [Fact]
    public async Task AcquireAsync_OtherHostAncientLock_NotRemovedAndReportedPossiblyStale()
    {
        var ancient = new ManualTimeProvider(new DateTimeOffset(2001, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var remote = await _repo.OtherHostManager(ancient).AcquireAsync(LockKind.Exclusive, "prune", CancellationToken.None);

        var e = await Assert.ThrowsAsync<RepositoryLockedException>(
            async () => await _repo.Manager().AcquireAsync(LockKind.Shared, "backup", CancellationToken.None));

        Assert.Contains("possibly stale", e.Message, StringComparison.Ordinal);
        Assert.Equal(LockState.PossiblyStale, Assert.Single(await _repo.ListAsync()).State);
        Assert.Equal([remote.Handle], await _repo.LockObjectsAsync());
    }

    [Fact]
    public async Task ListAsync_FreshOtherHostAndGarbage_RemoteAndUnreadable()
    {
        await using var remote = await _repo.OtherHostManager().AcquireAsync(LockKind.Shared, "backup", CancellationToken.None);
        var garbage = new Stackvault.Storage.ObjectHandle(Stackvault.Storage.ObjectKind.Lock, LockManager.NewLockName());
        await _repo.Storage.SaveAsync(garbage, "{\"version\":2}"u8.ToArray(), CancellationToken.None);

        var infos = (await _repo.ListAsync()).ToDictionary(i => i.Handle);

        Assert.Equal(LockState.Remote, infos[remote.Handle].State);
        Assert.Equal(LockState.Unreadable, infos[garbage].State);
        Assert.True(infos[garbage].IsExclusive);
        Assert.Contains("version 2", infos[garbage].Describe(), StringComparison.Ordinal);
        await Assert.ThrowsAsync<RepositoryLockedException>(
            async () => await _repo.Manager().AcquireAsync(LockKind.Shared, "backup", CancellationToken.None));
    }

    /// <summary>
    /// A store whose PUT is not atomic (s3rver) keeps an empty object when the writer is killed mid-save; it must not
    /// block every later backup as an "exclusive" lock would. Non-empty garbage still does (the test above).
    /// </summary>
    [Fact]
    public async Task EmptyLockObject_IsIncomplete_ConflictsWithNeitherSharedNorExclusive()
    {
        var empty = new Stackvault.Storage.ObjectHandle(Stackvault.Storage.ObjectKind.Lock, LockManager.NewLockName());
        await _repo.Storage.SaveAsync(empty, Array.Empty<byte>(), CancellationToken.None);

        var info = Assert.Single(await _repo.ListAsync());
        Assert.Equal(LockState.Incomplete, info.State);
        Assert.Contains("incomplete lock", info.Describe(), StringComparison.Ordinal);
        await using (await _repo.Manager().AcquireAsync(LockKind.Shared, "backup", CancellationToken.None))
        {
        }

        await using (await _repo.Manager().AcquireAsync(LockKind.Exclusive, "prune", CancellationToken.None))
        {
        }

        Assert.Contains(empty, await _repo.LockObjectsAsync());
    }

    [Fact]
    public async Task AcquireAsync_ConflictAppearsDuringSave_RemovesOwnLockAndThrows()
    {
        var storage = new InterceptingStorage(_repo.Storage)
        {
            AfterSave = async () => await _repo.PlantAsync(exclusive: true, "prune", "host-b"),
        };

        var e = await Assert.ThrowsAsync<RepositoryLockedException>(
            async () => await _repo.Manager(storage: storage).AcquireAsync(LockKind.Shared, "backup", CancellationToken.None));

        Assert.Contains("'prune' on host host-b", e.Message, StringComparison.Ordinal);
        var left = Assert.Single(await _repo.ListAsync());
        Assert.Equal("host-b", left.Record!.Hostname);
    }

    [Fact]
    public async Task AcquireAsync_RetryFor_SucceedsOnceHolderReleases()
    {
        var holder = await _repo.OtherHostManager().AcquireAsync(LockKind.Exclusive, "prune", CancellationToken.None);
        var manager = _repo.Manager(new LockOptions { RetryFor = TimeSpan.FromMinutes(1) });

        var acquiring = manager.AcquireAsync(LockKind.Shared, "backup", CancellationToken.None).AsTask();
        await _repo.Time.AdvanceWhenWaitingAsync(TimeSpan.FromSeconds(1));
        await holder.DisposeAsync();
        await _repo.Time.AdvanceUntilCompletedAsync(acquiring, TimeSpan.FromSeconds(5));

        await using var mine = await acquiring;
        Assert.Equal(LockKind.Shared, mine.Kind);
    }

    [Fact]
    public async Task AcquireAsync_RetryFor_GivesUpAfterWindow()
    {
        await using var holder = await _repo.OtherHostManager().AcquireAsync(LockKind.Exclusive, "prune", CancellationToken.None);
        var manager = _repo.Manager(new LockOptions { RetryFor = TimeSpan.FromMilliseconds(700) }, TimeProvider.System);
        var started = DateTime.UtcNow;

        await Assert.ThrowsAsync<RepositoryLockedException>(
            async () => await manager.AcquireAsync(LockKind.Shared, "backup", CancellationToken.None));

        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromMilliseconds(650), TimeSpan.FromSeconds(8));
        Assert.Equal([holder.Handle], await _repo.LockObjectsAsync());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2.5)]
    public void Constructor_BadLease_ThrowsUsage(double seconds)
    {
        var e = Assert.ThrowsAny<StackvaultException>(() => _repo.Manager(new LockOptions { Lease = TimeSpan.FromSeconds(seconds) }));
        Assert.Equal(ExitCode.Usage, Stackvault.Cli.ErrorMapper.Map(e).Code);
    }
}
