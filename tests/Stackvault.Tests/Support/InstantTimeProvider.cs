namespace Stackvault.Tests.Support;

/// <summary>A TimeProvider whose timers fire at once: retry pipelines run their backoff without real delays.</summary>
public sealed class InstantTimeProvider : TimeProvider
{
    public static InstantTimeProvider Instance { get; } = new();

    /// <summary>How many delays were asked for (each retry's backoff is one).</summary>
    public int Delays => Volatile.Read(ref _delays);

    private int _delays;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            Interlocked.Increment(ref _delays);
            dueTime = TimeSpan.Zero;
        }

        return System.CreateTimer(callback, state, dueTime, period == Timeout.InfiniteTimeSpan ? period : TimeSpan.FromMilliseconds(1));
    }
}
