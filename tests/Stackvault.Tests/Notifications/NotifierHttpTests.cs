using Stackvault.Notifications;
using static Stackvault.Tests.Notifications.NotificationSamples;

namespace Stackvault.Tests.Notifications;

/// <summary>
/// Generic and Slack targets against a local receiver standing in for the webhook: payload fields, filters, basic
/// auth. Alertmanager targets are tested against a real Alertmanager (<see cref="AlertmanagerNotificationTests"/>).
/// </summary>
public class NotifierHttpTests
{
    [Fact]
    public async Task Generic_Failure_PostsEveryField()
    {
        using var receiver = new HttpReceiver();
        using var notifier = new Notifier([Target($"generic+http://127.0.0.1:{receiver.Port}/hook/x")], FastRetry);
        var results = await notifier.NotifyAsync(Run(), CancellationToken.None);

        var result = Assert.Single(results);
        Assert.True(result.Ok, result.Error);
        Assert.Equal(1, result.Attempts);
        var request = receiver.Single();
        Assert.Equal("POST", request.Method);
        Assert.Equal("/hook/x", request.Path);
        Assert.StartsWith("application/json", request.ContentType, StringComparison.Ordinal);
        var json = request.Json;
        Assert.Equal("nightly", json.GetProperty("job").GetString());
        Assert.Equal("failure", json.GetProperty("status").GetString());
        Assert.Equal("backup-host", json.GetProperty("host").GetString());
        Assert.Equal("local", json.GetProperty("repository").GetString());
        Assert.Equal(95, json.GetProperty("duration_seconds").GetDouble());
        Assert.Equal("2026-11-21T02:00:00.000Z", json.GetProperty("started_at").GetString());
        Assert.Equal("component pg failed", json.GetProperty("error").GetString());
        Assert.Equal("[stackvault] nightly: failure on backup-host", json.GetProperty("title").GetString());
        Assert.Contains("after 1m35s", json.GetProperty("message").GetString(), StringComparison.Ordinal);
        var pg = json.GetProperty("components")[1];
        Assert.Equal("pg", pg.GetProperty("name").GetString());
        Assert.Equal("pg_dump exited with code 1", pg.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Slack_CustomTemplate_SendsRenderedText()
    {
        using var receiver = new HttpReceiver();
        var target = Target($"slack+http://127.0.0.1:{receiver.Port}/services/T000/B000/{Secret}", template: "{{job}} is {{status}}: {{error}} ({{snapshot}}) {{components}}", title: "Backup {{status}}");
        using var notifier = new Notifier([target], FastRetry);
        var result = Assert.Single(await notifier.NotifyAsync(Run(NotificationStatus.Partial), CancellationToken.None));

        Assert.True(result.Ok, result.Error);
        Assert.Equal("slack", result.Kind);
        var request = receiver.Single();
        Assert.Equal($"/services/T000/B000/{Secret}", request.Path);
        Assert.Equal("*Backup partial*\nnightly is partial: component pg failed (1a2b3c4d) prom success, pg partial (pg_dump exited with code 1)", request.Json.GetProperty("text").GetString());
        Assert.DoesNotContain(Secret, result.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Filters_OnAndJobs_SelectTargets()
    {
        using var receiver = new HttpReceiver();
        var url = $"http://127.0.0.1:{receiver.Port}/";
        using var notifier = new Notifier(
            [Target(url + "default", name: "default"), Target(url + "success", name: "success", on: [NotificationStatus.Success]), Target(url + "other", name: "other", jobs: ["other"])],
            FastRetry);

        var onFailure = await notifier.NotifyAsync(Run(), CancellationToken.None);
        var onSuccess = await notifier.NotifyAsync(Run(NotificationStatus.Success), CancellationToken.None);

        Assert.Equal(["default"], onFailure.Select(r => r.Target));
        Assert.Equal(["success"], onSuccess.Select(r => r.Target));
        Assert.Equal(["/default", "/success"], receiver.Requests.Select(r => r.Path));
    }

    [Fact]
    public async Task BasicAuth_FromUserInfo_SentAsHeaderNotInPath()
    {
        using var receiver = new HttpReceiver();
        using var notifier = new Notifier([Target($"generic+http://ops:{Secret}@127.0.0.1:{receiver.Port}/h")], FastRetry);
        Assert.True(Assert.Single(await notifier.NotifyAsync(Run(), CancellationToken.None)).Ok);

        var request = receiver.Single();
        Assert.Equal("Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"ops:{Secret}")), request.Authorization);
        Assert.DoesNotContain(Secret, request.Body, StringComparison.Ordinal);
    }
}
