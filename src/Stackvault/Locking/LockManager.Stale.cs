using Stackvault.Storage;

namespace Stackvault.Locking;

/// <summary>Removing stale locks without trusting anybody's wall clock.</summary>
public sealed partial class LockManager
{
    private static readonly TimeSpan MinPoll = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxPoll = TimeSpan.FromSeconds(15);

    /// <summary>
    /// <c>stackvault unlock</c>: removes locks of dead processes of this host at once. Every lock of another host
    /// (and every unreadable one) present now is watched; it is removed only once it has stayed unchanged (same
    /// object present, no successor in its chain) for longer than its lease by our monotonic clock: a live holder
    /// refreshes every lease/4, and gives up by itself when it cannot refresh for 3/4 of its lease. Live locks
    /// of this host are never removed. Returns what was removed.
    /// </summary>
    public async ValueTask<IReadOnlyList<LockInfo>> RemoveStaleAsync(CancellationToken cancellationToken)
    {
        var removed = new List<LockInfo>();
        var initial = await ScanAsync(cancellationToken).ConfigureAwait(false);
        var watchStart = _time.GetTimestamp();
        foreach (var dead in initial.Where(i => i.State == LockState.LocalDead))
        {
            await _storage.DeleteAsync(dead.Handle, cancellationToken).ConfigureAwait(false);
            removed.Add(dead);
        }

        var watched = initial.Where(i => i.State is LockState.Remote or LockState.PossiblyStale or LockState.Unreadable or LockState.Incomplete).ToList();
        while (watched.Count > 0)
        {
            await Task.Delay(PollInterval(watched), _time, cancellationToken).ConfigureAwait(false);
            var current = await ScanAsync(cancellationToken).ConfigureAwait(false);
            var present = current.Select(i => i.Handle).ToHashSet();
            var elapsed = _time.GetElapsedTime(watchStart);
            foreach (var candidate in watched.ToList())
            {
                if (!present.Contains(candidate.Handle) || HasSuccessor(candidate, current))
                {
                    watched.Remove(candidate); // released or refreshed: its holder is alive (or at least was)
                }
                else if (elapsed > WatchWindow(candidate))
                {
                    await _storage.DeleteAsync(candidate.Handle, cancellationToken).ConfigureAwait(false);
                    removed.Add(candidate);
                    watched.Remove(candidate);
                }
            }
        }

        return removed;
    }

    private TimeSpan WatchWindow(LockInfo info) =>
        info.Record is { } r && r.Lease > LockOptions.MinimumLease ? r.Lease : info.Record is null ? _options.Lease : LockOptions.MinimumLease;

    private TimeSpan PollInterval(List<LockInfo> watched)
    {
        var shortest = watched.Min(WatchWindow) / 8;
        return shortest < MinPoll ? MinPoll : shortest > MaxPoll ? MaxPoll : shortest;
    }

    private static bool HasSuccessor(LockInfo candidate, List<LockInfo> current) =>
        candidate.Record is { } r &&
        current.Any(i => i.Record is { } c && c.Chain == r.Chain && c.Sequence > r.Sequence);
}
