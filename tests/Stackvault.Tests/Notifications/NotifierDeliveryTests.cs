using Stackvault.Notifications;
using static Stackvault.Tests.Notifications.NotificationSamples;

namespace Stackvault.Tests.Notifications;

/// <summary>Delivery against a local receiver: the one retry, failures as results (never exceptions), no secrets in them.</summary>
public class NotifierDeliveryTests
{
    [Fact]
    public async Task ServerError_ThenOk_RetriedOnce()
    {
        using var receiver = new HttpReceiver(500);
        using var notifier = new Notifier([Target(receiver.BaseUrl + "/hook")], FastRetry);
        var result = Assert.Single(await notifier.NotifyAsync(Run(), CancellationToken.None));

        Assert.True(result.Ok, result.Error);
        Assert.Equal(2, result.Attempts);
        Assert.Equal(2, receiver.Requests.Count);
    }

    [Fact]
    public async Task ServerErrorTwice_FailsAfterTwoAttempts_WithoutThrowing()
    {
        using var receiver = new HttpReceiver(503, 503, 503);
        using var notifier = new Notifier([Target(receiver.BaseUrl + "/hook")], FastRetry);
        var result = Assert.Single(await notifier.NotifyAsync(Run(), CancellationToken.None));

        Assert.False(result.Ok);
        Assert.Equal(2, result.Attempts);
        Assert.StartsWith("HTTP 503", result.Error, StringComparison.Ordinal);
        Assert.Equal(2, receiver.Requests.Count);
    }

    [Fact]
    public async Task ClientError_NotRetried()
    {
        using var receiver = new HttpReceiver(404);
        using var notifier = new Notifier([Target(receiver.BaseUrl + "/hook")], FastRetry);
        var result = Assert.Single(await notifier.NotifyAsync(Run(), CancellationToken.None));

        Assert.False(result.Ok);
        Assert.Equal(1, result.Attempts);
        Assert.Single(receiver.Requests);
    }

    [Fact]
    public async Task Unreachable_WarningResult_NoSecretInIt()
    {
        var port = HttpReceiver.FreePort();
        var url = $"generic+http://admin:{Secret}@127.0.0.1:{port}/hooks/{Secret}?token={Secret}";
        using var notifier = new Notifier([Target(url)], FastRetry);
        var result = Assert.Single(await notifier.NotifyAsync(Run(), CancellationToken.None));

        Assert.False(result.Ok);
        Assert.Equal(2, result.Attempts);
        Assert.NotNull(result.Error);
        Assert.Equal($"generic 127.0.0.1:{port}", result.Endpoint);
        Assert.DoesNotContain(Secret, result.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("admin", result.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadUrl_WarningResult_NeverQuotesTheUrl()
    {
        using var notifier = new Notifier([Target($"teams://{Secret}@example.org/x")], FastRetry);
        var result = Assert.Single(await notifier.NotifyAsync(Run(), CancellationToken.None));

        Assert.False(result.Ok);
        Assert.Equal(0, result.Attempts);
        Assert.Contains("unknown notification scheme 'teams'", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, result.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SilentServer_TimesOut_RetriedOnce_NoException()
    {
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        var port = ((System.Net.IPEndPoint)silent.LocalEndpoint).Port;
        using var notifier = new Notifier([Target($"slack+http://127.0.0.1:{port}/services/{Secret}")], FastRetry with { Timeout = TimeSpan.FromMilliseconds(300) });
        var result = Assert.Single(await notifier.NotifyAsync(Run(), CancellationToken.None));

        Assert.False(result.Ok);
        Assert.Equal(2, result.Attempts);
        Assert.Equal("no answer within 300ms", result.Error);
    }

    [Fact]
    public async Task Cancelled_Throws()
    {
        using var receiver = new HttpReceiver();
        using var notifier = new Notifier([Target(receiver.BaseUrl)], FastRetry);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await notifier.NotifyAsync(Run(), new CancellationToken(canceled: true)));
    }
}
