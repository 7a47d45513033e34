using Stackvault.Notifications;
using static Stackvault.Tests.Notifications.NotificationSamples;

namespace Stackvault.Tests.Notifications;

/// <summary>Placeholders are substituted as text, nothing is evaluated.</summary>
public class NotificationTemplateTests
{
    [Fact]
    public void Render_EveryPlaceholder()
    {
        var text = NotificationTemplate.Render("{{job}}|{{status}}|{{snapshot}}|{{error}}|{{host}}|{{duration}}|{{repository}}|{{started}}|{{ components }}", Run(NotificationStatus.Partial));
        Assert.Equal("nightly|partial|1a2b3c4d|component pg failed|backup-host|1m35s|local|2026-11-21 02:00:00 UTC|prom success, pg partial (pg_dump exited with code 1)", text);
    }

    [Theory]
    [InlineData(0.403, "0.4s")]
    [InlineData(0.02, "0s")]
    [InlineData(9.2, "9.2s")]
    [InlineData(12.4, "12s")]
    [InlineData(3725, "1h2m5s")]
    public void Render_Duration_TenthsUnderTenSeconds_WholeSecondsAbove(double seconds, string expected)
    {
        Assert.Equal(expected, NotificationTemplate.Render("{{duration}}", Run() with { Duration = TimeSpan.FromSeconds(seconds) }));
    }

    [Fact]
    public void Render_AbsentValues_Dash_UnknownLeftAlone()
    {
        var text = NotificationTemplate.Render("{{snapshot}} {{error}} {{nope}} {job} {{ job.GetType() }}", Run(NotificationStatus.Success) with { SnapshotId = null });
        Assert.Equal("- - {{nope}} {job} {{ job.GetType() }}", text);
    }

    [Fact]
    public void Render_ValuesAreNotReexpanded()
    {
        var text = NotificationTemplate.Render("{{error}}", Run() with { Error = "{{host}}" });
        Assert.Equal("{{host}}", text);
    }

    [Fact]
    public void UnknownPlaceholders_Listed()
    {
        Assert.Equal(["jobname", "x"], NotificationTemplate.UnknownPlaceholders("{{jobname}} {{job}} {{x}} {{x}}"));
        Assert.Empty(NotificationTemplate.UnknownPlaceholders(NotificationTemplate.DefaultBody + NotificationTemplate.DefaultTitle));
    }
}
