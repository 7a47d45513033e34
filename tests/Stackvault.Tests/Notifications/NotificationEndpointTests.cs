using Stackvault.Notifications;

namespace Stackvault.Tests.Notifications;

/// <summary>Parsing shoutrrr-style URLs: kinds, targets, SMTP settings, and errors that never quote the URL.</summary>
public class NotificationEndpointTests
{
    [Theory]
    [InlineData("generic+https://h.example/p", NotificationKind.Generic, "https://h.example/p")]
    [InlineData("generic+http://h.example:8080/p?x=1", NotificationKind.Generic, "http://h.example:8080/p?x=1")]
    [InlineData("https://h.example/p", NotificationKind.Generic, "https://h.example/p")]
    [InlineData("slack://hooks.slack.com/services/T/B/X", NotificationKind.Slack, "https://hooks.slack.com/services/T/B/X")]
    [InlineData("slack+http://127.0.0.1:9/services/T/B/X", NotificationKind.Slack, "http://127.0.0.1:9/services/T/B/X")]
    [InlineData("alertmanager+https://am.example:9093", NotificationKind.Alertmanager, "https://am.example:9093/api/v2/alerts")]
    [InlineData("alertmanager+http://am.example:9093/prefix/", NotificationKind.Alertmanager, "http://am.example:9093/prefix/api/v2/alerts")]
    public void TryParse_HttpKinds_Target(string url, NotificationKind kind, string target)
    {
        Assert.True(NotificationEndpoint.TryParse(url, out var endpoint, out var error), error);
        Assert.Equal(kind, endpoint!.Kind);
        Assert.Equal(target, endpoint.Target!.ToString());
    }

    [Fact]
    public void TryParse_Smtp_Settings()
    {
        Assert.True(NotificationEndpoint.TryParse("smtp://u%40x.org:p%3Aw@mail.example:587/?from=a@x.org&to=b@x.org,%20c@x.org&starttls=yes", out var e, out var error), error);
        Assert.Equal(new SmtpSettings("mail.example", 587, false, SmtpStartTls.Yes, "u@x.org", "p:w", "a@x.org", e!.Smtp!.To), e.Smtp);
        Assert.Equal(["b@x.org", "c@x.org"], e.Smtp.To);
        Assert.Equal("smtp mail.example:587", e.Display);
        Assert.True(NotificationEndpoint.TryParse("smtps://mail.example/?from=a@x.org&to=b@x.org", out var tls, out _));
        Assert.Equal(465, tls!.Smtp!.Port);
        Assert.True(tls.Smtp.ImplicitTls);
    }

    [Theory]
    [InlineData("no-scheme-Xs3cr3t")]
    [InlineData("matrix://Xs3cr3t@id")]
    [InlineData("smtp://mail.example/?from=Xs3cr3t&to=b@x.org")]
    [InlineData("smtp://mail.example/?from=a@x.org&to=b@x.org&starttls=maybe&p=Xs3cr3t")]
    [InlineData("smtp://mail.example/?from=a@x.org&to=b@x.org%0d%0aBcc:Xs3cr3t@x.org")]
    [InlineData("generic+https://")]
    public void TryParse_Bad_ErrorNeverQuotesUrl(string url)
    {
        Assert.False(NotificationEndpoint.TryParse(url, out _, out var error));
        Assert.NotNull(error);
        Assert.DoesNotContain("Xs3cr3t", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Scrub_RemovesCredentialsPathAndUrl()
    {
        Assert.True(NotificationEndpoint.TryParse("generic+https://user:Xs3cr3t@h.example/hooks/Tok3nPath", out var e, out _));
        var scrubbed = e!.Scrub("failed for https://user:Xs3cr3t@h.example/hooks/Tok3nPath and Xs3cr3t and /hooks/Tok3nPath");
        Assert.DoesNotContain("Xs3cr3t", scrubbed, StringComparison.Ordinal);
        Assert.DoesNotContain("Tok3nPath", scrubbed, StringComparison.Ordinal);
        Assert.Equal("generic h.example:443", e.Display);
        Assert.Equal(e.Display, e.ToString());
        Assert.True(NotificationEndpoint.TryParse("smtp://u:Xs3cr3t@mail.example/?from=a@x.org&to=b@x.org", out var smtp, out _));
        Assert.DoesNotContain("Xs3cr3t", smtp!.ToString() + smtp.Smtp, StringComparison.Ordinal);
    }
}
