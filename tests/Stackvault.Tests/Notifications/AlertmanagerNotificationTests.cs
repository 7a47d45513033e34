using System.Text.Json;
using Stackvault.Notifications;
using Stackvault.Tests.Support;
using static Stackvault.Tests.Notifications.NotificationSamples;

namespace Stackvault.Tests.Notifications;

/// <summary>
/// <c>alertmanager+http://</c> targets against a real Alertmanager (Debian's prometheus-alertmanager, on a free port
/// with a route prefix, clustering off): a failed run fires <c>StackvaultJobFailed</c> with its labels, annotations and
/// times, read back through Alertmanager's API; the next successful run resolves it.
/// </summary>
public class AlertmanagerNotificationTests
{
    private const string Binary = "/usr/bin/prometheus-alertmanager";

    private static Task<LocalServer> StartAsync() => LocalServer.StartAsync(
        Binary,
        (port, dir) =>
        [
            $"--config.file={dir}/alertmanager.yml", $"--storage.path={dir}/data", $"--web.listen-address=127.0.0.1:{port}",
            "--web.route-prefix=/am/", "--cluster.listen-address=",
        ],
        "am/-/ready",
        (_, dir) => File.WriteAllText(Path.Combine(dir, "alertmanager.yml"), "route:\n  receiver: nobody\nreceivers:\n  - name: nobody\n"));

    private static JobNotification RunEndingNow(DateTimeOffset now, NotificationStatus status) =>
        Run(status) with { StartedAt = now - TimeSpan.FromSeconds(95) };

    private static async Task<List<JsonElement>> AlertsAsync(LocalServer server)
    {
        using var document = JsonDocument.Parse(await server.GetStringAsync("am/api/v2/alerts?filter=alertname%3D%22StackvaultJobFailed%22"));
        return [.. document.RootElement.EnumerateArray().Select(a => a.Clone())];
    }

    [Fact]
    public async Task FailedRun_Fires_WithLabelsAndTimes_NextSuccess_Resolves()
    {
        await using var server = await StartAsync();
        var now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var target = Target($"alertmanager+http://127.0.0.1:{server.Port}/am/", on: [NotificationStatus.Failure, NotificationStatus.Success]);
        using var notifier = new Notifier([target], FastRetry with { Time = new FixedTime(now) });

        var fired = Assert.Single(await notifier.NotifyAsync(RunEndingNow(now, NotificationStatus.Failure), CancellationToken.None));
        Assert.True(fired.Ok, fired.Error);
        var alert = Assert.Single(await AlertsAsync(server));
        Assert.Equal("active", alert.GetProperty("status").GetProperty("state").GetString());
        var labels = alert.GetProperty("labels");
        Assert.Equal(
            ("StackvaultJobFailed", "critical", "nightly", "backup-host", "local", "stackvault"),
            (labels.GetProperty("alertname").GetString(), labels.GetProperty("severity").GetString(), labels.GetProperty("job").GetString(),
             labels.GetProperty("instance").GetString(), labels.GetProperty("repository").GetString(), labels.GetProperty("service").GetString()));
        var annotations = alert.GetProperty("annotations");
        Assert.Equal("[stackvault] nightly: failure on backup-host", annotations.GetProperty("summary").GetString());
        Assert.Equal("failure", annotations.GetProperty("status").GetString());
        Assert.Equal(now, alert.GetProperty("startsAt").GetDateTimeOffset());
        Assert.Equal(now + NotificationPayload.AlertLifetime, alert.GetProperty("endsAt").GetDateTimeOffset());
        Assert.Equal("stackvault://backup-host/jobs/nightly", alert.GetProperty("generatorURL").GetString());

        // The resolving alert's endsAt is "now" on the system clock: Alertmanager keeps the later endsAt of an alert
        // that is not yet resolved by its own clock, so a resolve dated in its future would be ignored.
        using var resolver = new Notifier([target], FastRetry);
        var resolved = Assert.Single(await resolver.NotifyAsync(RunEndingNow(DateTimeOffset.UtcNow, NotificationStatus.Success), CancellationToken.None));
        Assert.True(resolved.Ok, resolved.Error);
        await LocalServer.EventuallyAsync(async () => (await AlertsAsync(server)).Count == 0 ? "resolved" : null, "the alert resolved (Alertmanager lists only unresolved alerts)");
    }

    [Fact]
    public async Task TestNotification_FiresTheTestAlert_WithStatusTest()
    {
        await using var server = await StartAsync();
        using var notifier = new Notifier([Target($"alertmanager+http://127.0.0.1:{server.Port}/am")], FastRetry);
        var run = RunEndingNow(DateTimeOffset.UtcNow, NotificationStatus.Failure) with { IsTest = true };
        Assert.True(Assert.Single(await notifier.NotifyAsync(run, CancellationToken.None)).Ok);

        using var document = JsonDocument.Parse(await server.GetStringAsync("am/api/v2/alerts?filter=alertname%3D%22StackvaultNotificationTest%22"));
        var alert = Assert.Single(document.RootElement.EnumerateArray());
        Assert.Equal("info", alert.GetProperty("labels").GetProperty("severity").GetString());
        Assert.Equal("test", alert.GetProperty("annotations").GetProperty("status").GetString());
        Assert.Empty(await AlertsAsync(server));
    }
}
