namespace Stackvault.Locking;

/// <summary>How a lock looks from this process. Only <see cref="LocalDead"/> locks are ever removed without waiting.</summary>
public enum LockState
{
    /// <summary>Held by a running process on this host (whatever its timestamps say).</summary>
    Live,

    /// <summary>Written on this host by a process (pid + start time) that no longer runs: ignored and removed.</summary>
    LocalDead,

    /// <summary>From another host and not refreshed for longer than its lease + 5 minutes by our clock.</summary>
    PossiblyStale,

    /// <summary>From another host and recently refreshed (by our clock).</summary>
    Remote,

    /// <summary>The object cannot be parsed or has a newer format version; it is treated as an exclusive lock.</summary>
    Unreadable,

    /// <summary>
    /// The object is empty: a save that has not finished, or never will (a store whose PUT is not atomic, such as
    /// s3rver, after its writer was killed). No writer ever stores an empty lock, and a live writer scans again after
    /// its save completes (and backs off if it then sees ours), so an empty object conflicts with nothing.
    /// <c>stackvault unlock</c> removes it after watching it unchanged for a lease.
    /// </summary>
    Incomplete,
}
