using Stackvault.Notifications;
using static Stackvault.Tests.Notifications.NotificationSamples;

namespace Stackvault.Tests.Notifications;

/// <summary>
/// <c>discord://</c> targets against <see cref="HttpReceiver"/>, a local stand-in for Discord's execute-webhook API
/// (<c>POST /api/webhooks/ID/TOKEN</c>): the documented JSON shape (content, one embed with title, description,
/// colour and timestamp, no mentions), a 429 retried once, and the token kept out of every message.
/// </summary>
public class NotifierDiscordTests
{
    [Fact]
    public async Task Discord_Failure_PostsWebhookJson()
    {
        using var receiver = new HttpReceiver(204);
        using var notifier = new Notifier([Target($"discord+http://127.0.0.1:{receiver.Port}/api/webhooks/1234/{Secret}", title: "@everyone {{job}} {{status}}")], FastRetry);
        var result = Assert.Single(await notifier.NotifyAsync(Run(), CancellationToken.None));

        Assert.True(result.Ok, result.Error);
        Assert.Equal("discord", result.Kind);
        Assert.Equal($"discord 127.0.0.1:{receiver.Port}", result.Endpoint);
        var request = receiver.Single();
        Assert.Equal("POST", request.Method);
        Assert.Equal($"/api/webhooks/1234/{Secret}", request.Path);
        Assert.StartsWith("application/json", request.ContentType, StringComparison.Ordinal);
        var json = request.Json;
        Assert.Equal("stackvault", json.GetProperty("username").GetString());
        Assert.Equal("@everyone nightly failure", json.GetProperty("content").GetString());
        Assert.Empty(json.GetProperty("allowed_mentions").GetProperty("parse").EnumerateArray());
        var embed = Assert.Single(json.GetProperty("embeds").EnumerateArray());
        Assert.Equal("@everyone nightly failure", embed.GetProperty("title").GetString());
        Assert.StartsWith("Stackvault job nightly finished: failure on backup-host after 1m35s.", embed.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal(0xE74C3C, embed.GetProperty("color").GetInt32());
        Assert.Equal("2026-11-21T02:01:35.000Z", embed.GetProperty("timestamp").GetString());
    }

    [Fact]
    public async Task Discord_LongMessage_CutToDiscordLimits()
    {
        using var receiver = new HttpReceiver(204);
        var longText = new string('x', 5000);
        using var notifier = new Notifier([Target($"discord+http://127.0.0.1:{receiver.Port}/api/webhooks/1/t0ken", title: longText, template: longText)], FastRetry);
        Assert.True(Assert.Single(await notifier.NotifyAsync(Run(), CancellationToken.None)).Ok);

        var json = receiver.Single().Json;
        Assert.Equal(2000, json.GetProperty("content").GetString()!.Length);
        var embed = Assert.Single(json.GetProperty("embeds").EnumerateArray());
        Assert.Equal(256, embed.GetProperty("title").GetString()!.Length);
        Assert.Equal(4096, embed.GetProperty("description").GetString()!.Length);
    }

    [Fact]
    public async Task Discord_RateLimited_RetriedOnce_TokenNeverInError()
    {
        using var receiver = new HttpReceiver(429, 429);
        using var notifier = new Notifier([Target($"discord+http://127.0.0.1:{receiver.Port}/api/webhooks/1234/{Secret}")], FastRetry);
        var result = Assert.Single(await notifier.NotifyAsync(Run(), CancellationToken.None));

        Assert.False(result.Ok);
        Assert.Equal(2, result.Attempts);
        Assert.Equal(2, receiver.Requests.Count);
        Assert.StartsWith("HTTP 429", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, result.ToString() + result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("discord://discord.com/api/webhooks/1/abc", "https://discord.com/api/webhooks/1/abc")]
    [InlineData("discord+https://discord.com/api/webhooks/1/abc", "https://discord.com/api/webhooks/1/abc")]
    [InlineData("discord+http://127.0.0.1:8080/api/webhooks/1/abc", "http://127.0.0.1:8080/api/webhooks/1/abc")]
    public void TryParse_Discord_PostsToTheWebhookUrl(string url, string target)
    {
        Assert.True(NotificationEndpoint.TryParse(url, out var endpoint, out var error), error);
        Assert.Equal(NotificationKind.Discord, endpoint!.Kind);
        Assert.Equal(target, endpoint.Target!.ToString());
        Assert.DoesNotContain("abc", endpoint.Scrub(url), StringComparison.Ordinal);
    }
}
