using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Stackvault.Errors;
using Stackvault.Storage;

namespace Stackvault.Locking;

/// <summary>
/// Takes, lists and cleans up repository locks. Locks are leases refreshed by a heartbeat; nothing is removed
/// on the strength of timestamps alone (see <see cref="LockState"/> and <see cref="RemoveStaleAsync"/>).
/// </summary>
public sealed partial class LockManager
{
    private readonly IStorage _storage;
    private readonly LockOptions _options;
    private readonly TimeProvider _time;
    private readonly LockIdentity _identity;

    public LockManager(IStorage storage, LockOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        options.Validate();
        _storage = storage;
        _options = options;
        _time = time;
        _identity = LockIdentity.From(options);
    }

    /// <summary>
    /// Takes a lock, retrying for <see cref="LockOptions.RetryFor"/>. Removes locks of dead processes of this host
    /// on the way. Throws <see cref="RepositoryLockedException"/> (exit 11) naming a conflicting holder.
    /// </summary>
    public async ValueTask<RepositoryLock> AcquireAsync(LockKind kind, string operation, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(operation);
        if (_options.RetryFor <= TimeSpan.Zero)
        {
            // One attempt, as the retry pipeline would make (it is empty then); the common case skips loading Polly.
            cancellationToken.ThrowIfCancellationRequested();
            return await TryAcquireOnceAsync(kind, operation, cancellationToken).ConfigureAwait(false);
        }

        var started = _time.GetTimestamp();
        var pipeline = LockRetryPipeline.Build(_time, started, _options.RetryFor);
        return await pipeline.ExecuteAsync(
            async (state, ct) => await state.Manager.TryAcquireOnceAsync(state.Kind, state.Operation, ct).ConfigureAwait(false),
            (Manager: this, Kind: kind, Operation: operation),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every lock object with its classification.</summary>
    public async IAsyncEnumerable<LockInfo> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var info in await ScanAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return info;
        }
    }

    /// <summary>Removes every lock object, live or not (<c>stackvault unlock --remove-all</c>; ask first).</summary>
    public async ValueTask<IReadOnlyList<ObjectHandle>> RemoveAllAsync(CancellationToken cancellationToken)
    {
        var removed = new List<ObjectHandle>();
        await foreach (var info in _storage.ListAsync(ObjectKind.Lock, cancellationToken).ConfigureAwait(false))
        {
            removed.Add(info.Handle);
        }

        foreach (var handle in removed)
        {
            await _storage.DeleteAsync(handle, cancellationToken).ConfigureAwait(false);
        }

        return removed;
    }

    private async ValueTask<RepositoryLock> TryAcquireOnceAsync(LockKind kind, string operation, CancellationToken cancellationToken)
    {
        var before = await ScanAsync(cancellationToken).ConfigureAwait(false);
        foreach (var dead in before.Where(i => i.State == LockState.LocalDead))
        {
            await _storage.DeleteAsync(dead.Handle, cancellationToken).ConfigureAwait(false);
        }

        ThrowIfConflict(kind, before);

        var name = NewLockName();
        var now = _time.GetUtcNow();
        var record = new LockRecord(
            LockRecord.CurrentVersion, kind == LockKind.Exclusive, operation, _identity.Hostname, _identity.Pid,
            _identity.ProcessStart, _identity.Username, now, now, (int)_options.Lease.TotalSeconds, 0, name, _identity.PidNamespace);
        var handle = new ObjectHandle(ObjectKind.Lock, name);
        var savingAt = _time.GetTimestamp(); // the lease counts from before the save: never later than any observer's
        try
        {
            // A failed save may still have stored the object (a timeout after the write): the catch removes it.
            await _storage.SaveAsync(handle, LockRecordCodec.Encode(record), cancellationToken).ConfigureAwait(false);

            // Race check: a conflicting lock saved while we saved ours. Both sides may back off; neither proceeds wrongly.
            var after = await ScanAsync(cancellationToken).ConfigureAwait(false);
            ThrowIfConflict(kind, after.Where(i => i.Handle != handle));
        }
        catch
        {
            await _storage.DeleteAsync(handle, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        return new RepositoryLock(_storage, _time, handle, record, savingAt);
    }

    private static void ThrowIfConflict(LockKind kind, IEnumerable<LockInfo> locks)
    {
        var conflicts = locks
            .Where(i => i.State is not (LockState.LocalDead or LockState.Incomplete) && (kind == LockKind.Exclusive || i.IsExclusive))
            .ToList();
        if (conflicts.Count > 0)
        {
            var more = conflicts.Count > 1 ? $" (and {conflicts.Count - 1} more)" : string.Empty;
            throw new RepositoryLockedException(conflicts[0].Describe() + more);
        }
    }

    internal static string NewLockName() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
}
