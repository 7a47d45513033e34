using System.Collections.Concurrent;
using Stackvault.Notifications;
using Stackvault.Tests.Locking;
using static Stackvault.Tests.Notifications.NotificationSamples;

namespace Stackvault.Tests.Notifications;

/// <summary>
/// The notifier's retry (a Polly pipeline) waits on the injected clock: with a one-hour retry delay on a manual
/// clock the retry happens only when the test moves the clock, and the test takes no real hour.
/// </summary>
public class NotifierRetryClockTests
{
    [Fact]
    public async Task Retry_WaitsOnTheInjectedClock_NotForReal()
    {
        using var receiver = new HttpReceiver(503, 200);
        var clock = new RecordingTime(new ManualTimeProvider());
        var options = FastRetry with { Time = clock, RetryDelay = TimeSpan.FromHours(1), Timeout = TimeSpan.FromHours(2) };
        using var notifier = new Notifier([Target(receiver.BaseUrl + "/hook")], options);
        var start = clock.GetUtcNow();

        var sending = notifier.NotifyAsync(Run(), CancellationToken.None).AsTask();
        await ManualTimeProvider.WaitUntilAsync(() => clock.DueTimes.Contains(TimeSpan.FromHours(1)), "the retry's one-hour delay on the clock");
        Assert.Single(receiver.Requests);
        Assert.False(sending.IsCompleted);

        clock.Inner.Advance(TimeSpan.FromHours(1));
        var result = Assert.Single(await sending.WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.True(result.Ok, result.Error);
        Assert.Equal(2, result.Attempts);
        Assert.Equal(2, receiver.Requests.Count);
        Assert.Equal(TimeSpan.FromHours(1), clock.GetUtcNow() - start);
    }

    [Fact]
    public async Task PermanentFailure_NoRetry_NoDelayOnTheClock()
    {
        using var receiver = new HttpReceiver(404);
        var clock = new RecordingTime(new ManualTimeProvider());
        using var notifier = new Notifier([Target(receiver.BaseUrl + "/hook")], FastRetry with { Time = clock, RetryDelay = TimeSpan.FromHours(1) });

        var result = Assert.Single(await notifier.NotifyAsync(Run(), CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.False(result.Ok);
        Assert.Equal(1, result.Attempts);
        Assert.StartsWith("HTTP 404", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(TimeSpan.FromHours(1), clock.DueTimes);
    }

    /// <summary>A manual clock that records the due time of every timer created on it.</summary>
    private sealed class RecordingTime(ManualTimeProvider inner) : TimeProvider
    {
        public ManualTimeProvider Inner => inner;

        public ConcurrentBag<TimeSpan> DueTimes { get; } = [];

        public override long TimestampFrequency => inner.TimestampFrequency;

        public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

        public override long GetTimestamp() => inner.GetTimestamp();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            DueTimes.Add(dueTime);
            return inner.CreateTimer(callback, state, dueTime, period);
        }
    }
}
