using Stackvault.Storage;

namespace Stackvault.Locking;

/// <summary>One heartbeat step of <see cref="RepositoryLock"/>.</summary>
public sealed partial class RepositoryLock
{
    /// <summary>Saves the successor lock object and deletes the previous one. Returns false when the refresh failed.</summary>
    internal async ValueTask<bool> RefreshAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_lost.IsCancellationRequested || Volatile.Read(ref _disposed) != 0)
            {
                return false;
            }

            if (DeadlinePassed())
            {
                MarkLost($"no successful refresh for {_deadline.TotalSeconds:0} s of a {Record.LeaseSeconds} s lease{LastErrorText()}");
                return false;
            }

            try
            {
                if (await _storage.StatAsync(Handle, cancellationToken).ConfigureAwait(false) is null)
                {
                    MarkLost($"lock object {Handle.Name} was removed by someone else (stackvault unlock --remove-all?)");
                    return false;
                }

                var now = _time.GetUtcNow();
                var savingAt = _time.GetTimestamp(); // counted from before the save, as in LockManager
                var next = Record with { Refreshed = now, Sequence = Record.Sequence + 1 };
                var nextHandle = new ObjectHandle(ObjectKind.Lock, LockManager.NewLockName());
                await _storage.SaveAsync(nextHandle, LockRecordCodec.Encode(next), cancellationToken).ConfigureAwait(false);
                Interlocked.Exchange(ref _lastSuccessTimestamp, savingAt);
                Interlocked.Exchange(ref _lastSuccessUtcTicks, now.UtcTicks);
                _leftovers.Add(Handle);
                Handle = nextHandle;
                Record = next;
                Volatile.Write(ref _lastError, null);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Volatile.Write(ref _lastError, e);
                return false;
            }

            await DeleteLeftoversAsync().ConfigureAwait(false);
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Deletes superseded objects; one that cannot be deleted now is retried next time and on dispose.</summary>
    private async ValueTask DeleteLeftoversAsync()
    {
        for (var i = _leftovers.Count - 1; i >= 0; i--)
        {
            try
            {
                await _storage.DeleteAsync(_leftovers[i], CancellationToken.None).ConfigureAwait(false);
                _leftovers.RemoveAt(i);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Volatile.Write(ref _lastError, e);
            }
        }
    }
}
