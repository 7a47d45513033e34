using Stackvault.Errors;

namespace Stackvault.Locking;

/// <summary>Options of a <see cref="LockManager"/>. The identity overrides exist for tests and diagnostics.</summary>
public sealed record LockOptions
{
    public static readonly TimeSpan MinimumLease = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan MaximumLease = TimeSpan.FromDays(1);

    /// <summary>How long a lock stays valid without a refresh (whole seconds, 2 s to 1 day); refreshed every lease/4.</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Keep retrying a conflicting acquisition, with jittered backoff, for this long (default: fail at once).</summary>
    public TimeSpan RetryFor { get; init; } = TimeSpan.Zero;

    /// <summary>Overrides the host name written into and compared with locks.</summary>
    public string? Hostname { get; init; }

    /// <summary>Overrides the pid written into locks.</summary>
    public int? Pid { get; init; }

    /// <summary>Overrides the process start ticks written into locks.</summary>
    public long? ProcessStart { get; init; }

    /// <summary>Overrides the pid namespace written into and compared with locks.</summary>
    public string? PidNamespace { get; init; }

    /// <summary>Overrides the user name written into locks.</summary>
    public string? Username { get; init; }

    /// <summary>Throws a usage error when an option is out of range.</summary>
    public void Validate()
    {
        if (Lease < MinimumLease || Lease > MaximumLease || Lease.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            throw new UsageException($"lock lease must be whole seconds between {MinimumLease.TotalSeconds} s and 1 day, got {Lease}");
        }

        if (RetryFor < TimeSpan.Zero)
        {
            throw new UsageException($"lock retry time must not be negative, got {RetryFor}");
        }

        if (Pid is <= 0 || ProcessStart is < 0 || Hostname is { Length: 0 })
        {
            throw new UsageException("lock identity overrides need a positive pid, non-negative start ticks and a host name");
        }
    }
}
