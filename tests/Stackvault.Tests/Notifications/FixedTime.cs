namespace Stackvault.Tests.Notifications;

/// <summary>A clock stopped at one instant (delays and timers still run on the system clock).</summary>
internal sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
