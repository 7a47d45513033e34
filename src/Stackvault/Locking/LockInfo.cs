using Stackvault.Storage;

namespace Stackvault.Locking;

/// <summary>One lock object as this process sees it. <see cref="Record"/> is null when <see cref="State"/> is Unreadable.</summary>
public sealed record LockInfo(ObjectHandle Handle, LockRecord? Record, LockState State, string? Error, DateTimeOffset ObservedAt)
{
    /// <summary>Unreadable locks count as exclusive, so nothing runs beside a lock we cannot understand.</summary>
    public bool IsExclusive => Record?.Exclusive ?? true;

    /// <summary>Time since creation by our clock (negative when the writer's clock is ahead).</summary>
    public TimeSpan? Age => ObservedAt - Record?.Created;

    /// <summary>Time since the last refresh by our clock.</summary>
    public TimeSpan? SinceRefresh => ObservedAt - Record?.Refreshed;

    /// <summary>A one-line description for messages and <c>stackvault locks</c>.</summary>
    public string Describe()
    {
        if (Record is not { } r)
        {
            return State == LockState.Incomplete
                ? $"incomplete lock {Handle.Name[..Math.Min(8, Handle.Name.Length)]} ({Error}), conflicts with nothing"
                : $"unreadable lock {Handle.Name[..Math.Min(8, Handle.Name.Length)]} ({Error}), treated as exclusive";
        }

        var kind = r.Exclusive ? "exclusive" : "shared";
        var text = $"{kind} lock by '{r.Operation}' on host {r.Hostname} (pid {r.Pid}, user {r.Username}), " +
            $"created {FormatAge(Age!.Value)}, refreshed {FormatAge(SinceRefresh!.Value)}";
        return State switch
        {
            LockState.PossiblyStale => text + $"; possibly stale (no refresh for more than its {r.LeaseSeconds} s lease + 5 min): 'stackvault unlock' removes it after checking",
            LockState.LocalDead => text + "; its process is gone",
            _ => text,
        };
    }

    internal static string FormatAge(TimeSpan age)
    {
        if (age < TimeSpan.Zero)
        {
            return $"{FormatSpan(-age)} in the future (clock skew)";
        }

        return FormatSpan(age) + " ago";
    }

    private static string FormatSpan(TimeSpan t) =>
        t.TotalDays >= 1 ? $"{(int)t.TotalDays}d{t.Hours}h"
        : t.TotalHours >= 1 ? $"{t.Hours}h{t.Minutes}m"
        : t.TotalMinutes >= 1 ? $"{t.Minutes}m{t.Seconds}s"
        : $"{t.Seconds}s";
}
