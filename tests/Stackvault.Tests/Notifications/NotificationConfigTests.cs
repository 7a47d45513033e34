using Stackvault.Configuration;
using Stackvault.Notifications;
using static Stackvault.Tests.Notifications.NotificationSamples;

namespace Stackvault.Tests.Notifications;

/// <summary>The <c>notifications:</c> section: defaults, checks, environment overrides, redaction.</summary>
public class NotificationConfigTests
{
    private const string Base = """
        repositories:
          local: { url: /srv/repo, password: pw }
        components:
          etc: { type: files, paths: [/etc] }
        jobs:
          nightly: { repository: local, components: [etc] }
          hourly: { repository: local, components: [etc] }

        """;

    private static ConfigLoadResult Load(string notifications, Func<string, string?>? environment = null) =>
        ConfigLoader.LoadFromText(Base + notifications, "t.yaml", environment ?? (_ => null));

    [Fact]
    public void Load_Targets_DefaultsAndValues()
    {
        var (config, problems) = Load($$$"""
            notifications:
              ops-slack: { url: "slack://hooks.slack.com/services/T/B/{{{Secret}}}" }
              mail: { url_file: /run/secrets/smtp-url, on: [failure, success], jobs: [nightly], title: "{{job}} {{status}}", template: "{{error}}", timeout: 30s }
            """);
        Assert.Empty(problems);
        var slack = config!.Notifications["ops-slack"];
        Assert.Equal([NotificationStatus.Failure, NotificationStatus.Partial], slack.On);
        Assert.Empty(slack.Jobs);
        Assert.Equal("inline", slack.Url.Source);
        Assert.True(slack.Matches("hourly", NotificationStatus.Partial));
        Assert.False(slack.Matches("hourly", NotificationStatus.Success));
        var mail = config.Notifications["mail"];
        Assert.Equal("file /run/secrets/smtp-url", mail.Url.Source);
        Assert.Equal([NotificationStatus.Failure, NotificationStatus.Success], mail.On);
        Assert.Equal(["nightly"], mail.Jobs);
        Assert.Equal(TimeSpan.FromSeconds(30), mail.Timeout);
        Assert.False(mail.Matches("hourly", NotificationStatus.Failure));
    }

    [Fact]
    public void Validate_BadSchemeOnJobsPlaceholderKey_EachReportedWithPath()
    {
        var problems = Load($$$"""
            notifications:
              a: { url: "teams://x:{{{Secret}}}@example.org/hook" }
              b: { url: "https://example.org/h", on: [failed] }
              c: { url: "https://example.org/h", jobs: [nigthly] }
              d: { url: "https://example.org/h", template: "{{jobname}} {{job}}" }
              e: { url: "https://example.org/h", channel: x }
              f: { on: [failure] }
              g: { url: "smtp://{{{Secret}}}@mail.example.org/?from=a@b.org" }
            """).Problems;
        Assert.Contains(problems, p => p.YamlPath == "notifications.a.url" && p.Message.Contains("unknown notification scheme 'teams'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.YamlPath == "notifications.b.on[0]" && p.Message == "expected success, partial or failure");
        Assert.Contains(problems, p => p.YamlPath == "notifications.c.jobs[0]" && p.Message.Contains("did you mean 'nightly'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.YamlPath == "notifications.d.template" && p.Message.Contains("{{jobname}}", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.YamlPath == "notifications.e.channel" && p.Message.StartsWith("unknown key", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.YamlPath == "notifications.f" && p.Message.Contains("STACKVAULT_NOTIFICATION_F_URL", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.YamlPath == "notifications.g.url" && p.Message.Contains("to=ADDRESS", StringComparison.Ordinal));
        Assert.All(problems, p => Assert.DoesNotContain(Secret, p.ToString(), StringComparison.Ordinal));
        Assert.Equal(7, problems.Count);
    }

    [Fact]
    public void EnvironmentOverride_ReplacesUrl_AndIsChecked()
    {
        const string yaml = """
            notifications:
              ops-slack: { url: "https://example.org/configured" }
            """;
        var good = Load(yaml, name => name == "STACKVAULT_NOTIFICATION_OPS_SLACK_URL" ? $"slack://hooks.slack.com/services/{Secret}" : null);
        Assert.Equal("env STACKVAULT_NOTIFICATION_OPS_SLACK_URL", good.Config!.Notifications["ops-slack"].Url.Source);
        Assert.EndsWith(Secret, good.Config.Notifications["ops-slack"].Url.Reveal(), StringComparison.Ordinal);

        var bad = Load(yaml, name => name == "STACKVAULT_NOTIFICATION_OPS_SLACK_URL" ? $"nope://{Secret}" : null);
        var problem = Assert.Single(bad.Problems);
        Assert.Contains("env STACKVAULT_NOTIFICATION_OPS_SLACK_URL", problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, problem.ToString(), StringComparison.Ordinal);

        var file = Load(yaml, name => name == "STACKVAULT_NOTIFICATION_OPS_SLACK_URL_FILE" ? "/run/secrets/slack" : null);
        Assert.Equal("file /run/secrets/slack", file.Config!.Notifications["ops-slack"].Url.Source);
    }

    [Fact]
    public void Show_RedactsUrl_KeepsFilters()
    {
        var config = Load($$$"""
            notifications:
              ops: { url: "slack://hooks.slack.com/services/T/B/{{{Secret}}}", on: [failure], jobs: [nightly], title: "{{job}}" }
            """).Config!;
        var yaml = ConfigDocument.ToYaml(config);
        var json = System.Text.Json.JsonSerializer.Serialize(ConfigDocument.ToTree(config));
        Assert.DoesNotContain(Secret, yaml + json + config, StringComparison.Ordinal);
        Assert.Contains("url: '*** (inline)'", yaml, StringComparison.Ordinal);
        Assert.Contains("- failure", yaml, StringComparison.Ordinal);
        Assert.Contains("- nightly", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void Show_NoNotifications_NoSection()
    {
        var config = Load(string.Empty).Config!;
        Assert.DoesNotContain("notifications", ConfigDocument.ToYaml(config), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UrlFile_WithBadUrl_WarningAtSend_NotAtLoad()
    {
        using var temp = new Support.TempDirectory();
        File.WriteAllText(temp.Sub("url"), $"ftp://{Secret}@example.org\n");
        var config = Load($"notifications:\n  f: {{ url_file: {temp.Sub("url")} }}\n").Config!;
        using var notifier = Notifier.FromConfig(config, FastRetry);
        var result = Assert.Single(await notifier.NotifyAsync(Run(), CancellationToken.None));
        Assert.False(result.Ok);
        Assert.Contains("unknown notification scheme", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, result.ToString(), StringComparison.Ordinal);

        var missing = Load("notifications:\n  f: { url_file: /nonexistent/url }\n").Config!;
        using var notifier2 = Notifier.FromConfig(missing, FastRetry);
        var result2 = Assert.Single(await notifier2.NotifyAsync(Run(), CancellationToken.None));
        Assert.False(result2.Ok);
        Assert.Contains("/nonexistent/url", result2.Error, StringComparison.Ordinal);
    }
}
