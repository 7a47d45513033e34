using Stackvault.Errors;
using Stackvault.Storage;

namespace Stackvault.Locking;

/// <summary>Reading and classifying the lock objects.</summary>
public sealed partial class LockManager
{
    /// <summary>A lock from another host counts as possibly stale this long after its lease ran out (by our clock).</summary>
    public static readonly TimeSpan PossiblyStaleGrace = TimeSpan.FromMinutes(5);

    private const int MaxScanAttempts = 20;

    /// <summary>
    /// Lists and reads every lock. When a listed object vanishes before it is read (a holder refreshed: it saves
    /// the successor, then deletes the old object), the scan starts over, so a refreshing holder is never missed.
    /// </summary>
    internal async ValueTask<List<LockInfo>> ScanAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxScanAttempts; attempt++)
        {
            var handles = new List<ObjectHandle>();
            await foreach (var info in _storage.ListAsync(ObjectKind.Lock, cancellationToken).ConfigureAwait(false))
            {
                handles.Add(info.Handle);
            }

            var result = new List<LockInfo>(handles.Count);
            var vanished = false;
            foreach (var handle in handles)
            {
                byte[] bytes;
                try
                {
                    bytes = await _storage.ReadAllAsync(handle, cancellationToken).ConfigureAwait(false);
                }
                catch (ObjectNotFoundException)
                {
                    vanished = true;
                    break;
                }

                result.Add(Classify(handle, bytes));
            }

            if (!vanished)
            {
                return result;
            }
        }

        throw new StackvaultException($"the locks in {_storage.Location} kept changing while being read; try again");
    }

    private LockInfo Classify(ObjectHandle handle, byte[] bytes)
    {
        var now = _time.GetUtcNow();
        if (bytes.Length == 0)
        {
            return new LockInfo(handle, null, LockState.Incomplete, "empty: a save that did not finish", now);
        }

        var record = LockRecordCodec.TryDecode(bytes, out var error);
        if (record is null)
        {
            return new LockInfo(handle, null, LockState.Unreadable, error, now);
        }

        LockState state;
        if (_identity.SharesProcessSpace(record))
        {
            state = _identity.IsHolderAlive(record) ? LockState.Live : LockState.LocalDead;
        }
        else
        {
            state = now - record.Refreshed > record.Lease + PossiblyStaleGrace ? LockState.PossiblyStale : LockState.Remote;
        }

        return new LockInfo(handle, record, state, null, now);
    }
}
