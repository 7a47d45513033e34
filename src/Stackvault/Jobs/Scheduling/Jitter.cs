namespace Stackvault.Jobs.Scheduling;

/// <summary>
/// A random delay in [0, jitter] added to a due time, so many hosts with the same schedule do not hit one
/// repository at once. Drawn once per run from an injected <see cref="Random"/> (seed it for determinism).
/// </summary>
public static class Jitter
{
    public static TimeSpan Draw(Random random, TimeSpan? jitter)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (jitter is not { } max || max <= TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }

        return TimeSpan.FromTicks(random.NextInt64(0, max.Ticks + 1));
    }
}
