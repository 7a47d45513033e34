using Stackvault.Errors;
using Stackvault.Storage;

namespace Stackvault.Locking;

/// <summary>
/// A held lock. A heartbeat refreshes it every lease/4 by saving a successor object (new name, sequence + 1,
/// same chain) and deleting the previous one. The lock is lost when its object disappears (someone ran
/// <c>unlock --remove-all</c>) or when no refresh succeeded for 3/4 of the lease (by the monotonic clock, or the
/// wall clock, whichever says so first): then <see cref="Lost"/> is cancelled. Call <see cref="ThrowIfLost"/>
/// before every commit-point write. Disposing stops the heartbeat and deletes the lock object.
/// </summary>
public sealed partial class RepositoryLock : IAsyncDisposable
{
    private readonly IStorage _storage;
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private readonly TimeSpan _deadline;
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<ObjectHandle> _leftovers = [];
    private readonly Task _heartbeat;
    private long _lastSuccessTimestamp;
    private long _lastSuccessUtcTicks;
    private string? _lostReason;
    private Exception? _lastError;
    private int _disposed;

    internal RepositoryLock(IStorage storage, TimeProvider time, ObjectHandle handle, LockRecord record, long savedAt)
    {
        _storage = storage;
        _time = time;
        Handle = handle;
        Record = record;
        _interval = record.Lease / 4;
        _deadline = record.Lease - _interval;
        _lastSuccessTimestamp = savedAt;
        _lastSuccessUtcTicks = record.Refreshed.UtcTicks;
        _heartbeat = Task.Run(() => HeartbeatAsync(_stop.Token));
    }

    /// <summary>The current lock object.</summary>
    public ObjectHandle Handle { get; private set; }

    /// <summary>The content of the current lock object.</summary>
    public LockRecord Record { get; private set; }

    public LockKind Kind => Record.Kind;

    /// <summary>Cancelled when the lock is lost; pass it to work that must stop without the lock.</summary>
    public CancellationToken Lost => _lost.Token;

    /// <summary>Throws when the lock is lost, or when the lease may have run out since the last successful refresh.</summary>
    public void ThrowIfLost()
    {
        if (!_lost.IsCancellationRequested && DeadlinePassed())
        {
            MarkLost($"no successful refresh for {_deadline.TotalSeconds:0} s of a {Record.LeaseSeconds} s lease{LastErrorText()}");
        }

        if (_lost.IsCancellationRequested)
        {
            throw new StackvaultException($"lost the repository lock: {_lostReason}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await _heartbeat.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            foreach (var leftover in _leftovers)
            {
                await _storage.DeleteAsync(leftover, CancellationToken.None).ConfigureAwait(false);
            }

            await _storage.DeleteAsync(Handle, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
            _stop.Dispose();
        }
    }

    private async Task HeartbeatAsync(CancellationToken stop)
    {
        var delay = _interval;
        while (!_lost.IsCancellationRequested)
        {
            await Task.Delay(delay, _time, stop).ConfigureAwait(false);
            var ok = await RefreshAsync(stop).ConfigureAwait(false);
            delay = ok ? _interval : _interval / 2; // retry sooner after a failure
        }
    }

    private bool DeadlinePassed() =>
        _time.GetElapsedTime(Interlocked.Read(ref _lastSuccessTimestamp)) >= _deadline ||
        _time.GetUtcNow().UtcTicks - Interlocked.Read(ref _lastSuccessUtcTicks) >= _deadline.Ticks;

    private void MarkLost(string reason)
    {
        if (Interlocked.CompareExchange(ref _lostReason, reason, null) is null)
        {
            _lost.Cancel();
        }
    }

    private string LastErrorText() => Volatile.Read(ref _lastError) is { } e ? $" (last error: {e.Message})" : string.Empty;
}
