using Stackvault.Tests.Support;
using static Stackvault.Tests.Notifications.NotificationSamples;

namespace Stackvault.Tests.Notifications;

/// <summary><c>stackvault notify test</c> and the notifications section through the real CLI process.</summary>
public class NotifyCommandTests
{
    private static string Config(TempDirectory temp, string notifications)
    {
        var path = temp.Sub("stackvault.yaml");
        File.WriteAllText(path, $"""
            repositories:
              local: {"{"} url: {temp.Sub("repo")}, password: pw {"}"}
            components:
              etc: {"{"} type: files, paths: [/etc/hostname] {"}"}
            jobs:
              nightly: {"{"} repository: local, components: [etc] {"}"}
            notifications:
            {notifications}
            """);
        return path;
    }

    [Fact]
    public async Task NotifyTest_AllKinds_SentAndReported()
    {
        using var temp = new TempDirectory();
        using var receiver = new HttpReceiver();
        using var smtp = new SmtpTestServer();
        var file = Config(temp, $"""
              hook: {"{"} url: "generic+http://127.0.0.1:{receiver.Port}/generic" {"}"}
              chat: {"{"} url: "slack+http://127.0.0.1:{receiver.Port}/services/T/B/{Secret}" {"}"}
              am: {"{"} url: "alertmanager+http://127.0.0.1:{receiver.Port}" {"}"}
              disc: {"{"} url: "discord+http://127.0.0.1:{receiver.Port}/api/webhooks/1234/{Secret}" {"}"}
              mail: {"{"} url_file: {temp.Sub("smtp-url")} {"}"}
            """);
        File.WriteAllText(temp.Sub("smtp-url"), $"smtp://ops:{Secret}@127.0.0.1:{smtp.Port}/?from=sv@example.org&to=ops@example.org&starttls=no");

        var cli = new CliRunner(temp.Sub("repo"));
        var result = await cli.ExpectAsync(0, "notify", "test", "--json", "--config", file);

        var json = result.Json();
        Assert.True(json.GetProperty("ok").GetBoolean());
        Assert.Equal(["hook", "chat", "am", "disc", "mail"], json.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("target").GetString()));
        var generic = Assert.Single(receiver.Requests, r => r.Path == "/generic").Json;
        Assert.True(generic.GetProperty("test").GetBoolean());
        Assert.Equal("test", generic.GetProperty("status").GetString()); // docs/notifications.md: status `test`, not failure
        Assert.Contains(": test on ", generic.GetProperty("title").GetString(), StringComparison.Ordinal);
        var discord = Assert.Single(receiver.Requests, r => r.Path == $"/api/webhooks/1234/{Secret}").Json;
        Assert.StartsWith("Stackvault job nightly finished: test on ", Assert.Single(discord.GetProperty("embeds").EnumerateArray()).GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal("nightly", generic.GetProperty("job").GetString());
        Assert.Contains("test", Assert.Single(receiver.Requests, r => r.Path.StartsWith("/services", StringComparison.Ordinal)).Json.GetProperty("text").GetString(), StringComparison.Ordinal);
        var alert = Assert.Single(Assert.Single(receiver.Requests, r => r.Path == "/api/v2/alerts").Json.EnumerateArray());
        Assert.Equal("StackvaultNotificationTest", alert.GetProperty("labels").GetProperty("alertname").GetString());
        Assert.True(smtp.Delivered);
        Assert.Contains("AUTH PLAIN", string.Join('\n', smtp.Commands), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, result.Stdout + result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotifyTest_UnreachableTarget_Exit1_NamesTargetNotSecret()
    {
        using var temp = new TempDirectory();
        var port = HttpReceiver.FreePort();
        var file = Config(temp, $"""  down: {"{"} url: "generic+http://admin:{Secret}@127.0.0.1:{port}/h/{Secret}" {"}"}""");
        var result = await new CliRunner(temp.Sub("repo")).ExpectAsync(1, "notify", "test", "--config", file);

        Assert.Contains($"down: FAILED (generic 127.0.0.1:{port}, 2 attempts)", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, result.Stdout + result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotifyTest_OneTarget_OnlyThatOne_UnknownIsUsageError()
    {
        using var temp = new TempDirectory();
        using var receiver = new HttpReceiver();
        var file = Config(temp, $"""
              a: {"{"} url: "http://127.0.0.1:{receiver.Port}/a" {"}"}
              b: {"{"} url: "http://127.0.0.1:{receiver.Port}/b" {"}"}
            """);
        var cli = new CliRunner(temp.Sub("repo"));
        var result = await cli.ExpectAsync(0, "notify", "test", "--target", "b", "--config", file);
        Assert.Contains("b: sent", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(["/b"], receiver.Requests.Select(r => r.Path));

        var unknown = await cli.ExpectAsync(2, "notify", "test", "--target", "c", "--config", file);
        Assert.Contains("unknown notification target 'c' (targets: a, b)", unknown.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigValidateAndShow_NotificationsSection()
    {
        using var temp = new TempDirectory();
        var cli = new CliRunner(temp.Sub("repo"));
        var bad = Config(temp, $"""  x: {"{"} url: "teams://{Secret}@h", on: [sometimes], jobs: [weekly] {"}"}""");
        var validate = await cli.ExpectAsync(2, "config", "validate", "--config", bad);
        Assert.Contains("notifications.x.url", validate.Stdout, StringComparison.Ordinal);
        Assert.Contains("notifications.x.on[0]", validate.Stdout, StringComparison.Ordinal);
        Assert.Contains("notifications.x.jobs[0] (line", validate.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, validate.Stdout + validate.Stderr, StringComparison.Ordinal);

        var good = Config(temp, $"""  x: {"{"} url: "slack://hooks.slack.com/services/T/B/{Secret}" {"}"}""");
        var show = await cli.ExpectAsync(0, "config", "show", "--config", good);
        Assert.Contains("url: '*** (inline)'", show.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, show.Stdout + show.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotifyTest_NoTargets_UsageError()
    {
        using var temp = new TempDirectory();
        var file = Config(temp, string.Empty);
        var result = await new CliRunner(temp.Sub("repo")).ExpectAsync(2, "notify", "test", "--config", file);
        Assert.Contains("has no notifications: section", result.Stderr, StringComparison.Ordinal);
    }
}
