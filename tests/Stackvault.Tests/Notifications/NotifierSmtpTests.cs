using System.Text;
using Stackvault.Notifications;
using static Stackvault.Tests.Notifications.NotificationSamples;

namespace Stackvault.Tests.Notifications;

/// <summary>
/// The SMTP sending (MailKit) against a local SMTP server written for the test, which records the wire: the
/// transaction, the mail, and failure injection (4xx, STARTTLS missing, an untrusted certificate).
/// </summary>
public class NotifierSmtpTests
{
    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    [Fact]
    public async Task Smtp_AuthPlain_SendsTransactionAndMail()
    {
        using var server = new SmtpTestServer("PLAIN LOGIN");
        var url = $"smtp://ops%40example.org:{Secret}@127.0.0.1:{server.Port}/?from=stackvault@example.org&to=a@example.org,b@example.org&starttls=no";
        using var notifier = new Notifier([Target(url, template: "Job {{job}}: {{status}}\n.hidden line\n..two dots\nend")], FastRetry);
        var result = Assert.Single(await notifier.NotifyAsync(Run(), CancellationToken.None));

        Assert.True(result.Ok, result.Error);
        Assert.Equal($"smtp 127.0.0.1:{server.Port}", result.Endpoint);
        Assert.Equal(
            ["EHLO tester", "AUTH PLAIN " + Base64($"\0ops@example.org\0{Secret}"), "MAIL FROM:<stackvault@example.org>", "RCPT TO:<a@example.org>", "RCPT TO:<b@example.org>", "DATA", "QUIT"],
            server.Commands);
        Assert.Contains("From: stackvault@example.org", server.DataLines);
        Assert.Contains("To: a@example.org, b@example.org", server.DataLines);
        Assert.Contains("Subject: [stackvault] nightly: failure on backup-host", server.DataLines);
        Assert.Contains(server.DataLines, l => l.StartsWith("Date: ", StringComparison.Ordinal));
        var body = server.DataLines.SkipWhile(l => l.Length > 0).Skip(1).ToList();
        Assert.Equal(["Job nightly: failure", "..hidden line", "...two dots", "end"], body);
        Assert.DoesNotContain(Secret, string.Join('\n', server.DataLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Smtp_OnlyLoginOffered_UsesAuthLogin()
    {
        using var server = new SmtpTestServer("LOGIN");
        var url = $"smtp://ops:{Secret}@127.0.0.1:{server.Port}/?from=s@example.org&to=a@example.org";
        using var notifier = new Notifier([Target(url)], FastRetry);
        Assert.True(Assert.Single(await notifier.NotifyAsync(Run(), CancellationToken.None)).Ok);

        Assert.Equal(["EHLO tester", "AUTH LOGIN", Base64("ops"), Base64(Secret), "MAIL FROM:<s@example.org>"], server.Commands.Take(5));
        Assert.True(server.Delivered);
    }

    [Fact]
    public async Task Smtp_NoCredentials_NoAuth_DefaultBodyAscii()
    {
        using var server = new SmtpTestServer("");
        using var notifier = new Notifier([Target($"smtp://127.0.0.1:{server.Port}/?from=s@example.org&to=a@example.org")], FastRetry);
        Assert.True(Assert.Single(await notifier.NotifyAsync(Run(), CancellationToken.None)).Ok);

        Assert.DoesNotContain(server.Commands, c => c.StartsWith("AUTH", StringComparison.Ordinal));
        Assert.Contains("Content-Transfer-Encoding: 7bit", server.DataLines);
        Assert.Contains("Error: component pg failed", server.DataLines);
    }

    [Fact]
    public async Task Smtp_StartTlsRequiredButNotOffered_FailsWithoutRetry()
    {
        using var server = new SmtpTestServer();
        using var notifier = new Notifier([Target($"smtp://u:{Secret}@127.0.0.1:{server.Port}/?from=s@example.org&to=a@example.org&starttls=yes")], FastRetry);
        var result = Assert.Single(await notifier.NotifyAsync(Run(), CancellationToken.None));

        Assert.False(result.Ok);
        Assert.Equal(1, result.Attempts);
        Assert.Contains("STARTTLS", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Commands, c => c.StartsWith("AUTH", StringComparison.Ordinal));
        Assert.False(server.Delivered);
    }

    [Fact]
    public async Task Smtp_TransientRefusal_RetriedOnce()
    {
        using var server = new SmtpTestServer(transientFailures: 1);
        using var notifier = new Notifier([Target($"smtp://127.0.0.1:{server.Port}/?from=s@example.org&to=a@example.org")], FastRetry);
        var result = Assert.Single(await notifier.NotifyAsync(Run(), CancellationToken.None));

        Assert.True(result.Ok, result.Error);
        Assert.Equal(2, result.Attempts);
        Assert.Equal(2, server.Connections);
        Assert.True(server.Delivered);
    }

    [Fact]
    public async Task Smtp_NonAsciiBody_Base64AndEncodedSubject()
    {
        using var server = new SmtpTestServer("");
        using var notifier = new Notifier([Target($"smtp://127.0.0.1:{server.Port}/?from=s@example.org&to=a@example.org", template: "Sicherung fehlgeschlagen: Größe", title: "Störung {{job}}")], FastRetry);
        Assert.True(Assert.Single(await notifier.NotifyAsync(Run(), CancellationToken.None)).Ok);

        var subject = Assert.Single(server.DataLines, l => l.StartsWith("Subject: ", StringComparison.Ordinal));
        Assert.Contains("=?utf-8?", subject, StringComparison.OrdinalIgnoreCase);
        var parsed = MimeKit.MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(string.Join("\r\n", server.DataLines).Replace("\r\n..", "\r\n.", StringComparison.Ordinal))));
        Assert.Equal("Störung nightly", parsed.Subject);
        Assert.Contains("Content-Transfer-Encoding: base64", server.DataLines);
        var body = string.Concat(server.DataLines.SkipWhile(l => l.Length > 0).Skip(1));
        Assert.Equal("Sicherung fehlgeschlagen: Größe", Encoding.UTF8.GetString(Convert.FromBase64String(body)));
    }

    [Fact]
    public async Task Smtp_HeaderInjectionInJobName_StaysOneHeader()
    {
        using var server = new SmtpTestServer("");
        using var notifier = new Notifier([Target($"smtp://127.0.0.1:{server.Port}/?from=s@example.org&to=a@example.org", title: "{{job}}")], FastRetry);
        Assert.True(Assert.Single(await notifier.NotifyAsync(Run(job: "x\r\nBcc: evil@example.org"), CancellationToken.None)).Ok);

        var headers = server.DataLines.TakeWhile(l => l.Length > 0).ToList();
        Assert.Contains("Subject: x  Bcc: evil@example.org", headers);
        Assert.DoesNotContain(headers, l => l.StartsWith("Bcc:", StringComparison.Ordinal));
        Assert.DoesNotContain(server.Commands, c => c.Contains("evil", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Smtp_StartTlsOffered_UpgradesBeforeAuth()
    {
        using var server = new SmtpTestServer("PLAIN", offerStartTls: true);
        var options = FastRetry with { CertificateValidation = (_, certificate, _, _) => certificate?.GetCertHashString() == server.Certificate!.GetCertHashString() };
        using var notifier = new Notifier([Target($"smtp://ops:{Secret}@127.0.0.1:{server.Port}/?from=s@example.org&to=a@example.org")], options);
        var result = Assert.Single(await notifier.NotifyAsync(Run(), CancellationToken.None));

        Assert.True(result.Ok, result.Error);
        Assert.Equal(["EHLO tester", "STARTTLS"], server.Commands.Take(2));
        Assert.Equal(2, server.CommandsBeforeTls);
        Assert.Equal("EHLO tester", server.Commands[2]);
        Assert.StartsWith("AUTH PLAIN", server.Commands[3], StringComparison.Ordinal);
        Assert.True(server.Delivered);
    }

    [Fact]
    public async Task Smtp_UntrustedCertificate_FailsBeforeCredentials_NoRetry()
    {
        using var server = new SmtpTestServer("PLAIN", offerStartTls: true);
        using var notifier = new Notifier([Target($"smtp://ops:{Secret}@127.0.0.1:{server.Port}/?from=s@example.org&to=a@example.org&starttls=yes")], FastRetry);
        var result = Assert.Single(await notifier.NotifyAsync(Run(), CancellationToken.None));

        Assert.False(result.Ok);
        Assert.Equal(1, result.Attempts);
        Assert.StartsWith("TLS:", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Commands, c => c.StartsWith("AUTH", StringComparison.Ordinal));
        Assert.False(server.Delivered);
    }

    [Fact]
    public async Task Smtp_StartTlsNo_StaysPlainEvenWhenOffered()
    {
        using var server = new SmtpTestServer("", offerStartTls: true);
        using var notifier = new Notifier([Target($"smtp://127.0.0.1:{server.Port}/?from=s@example.org&to=a@example.org&starttls=no")], FastRetry);
        Assert.True(Assert.Single(await notifier.NotifyAsync(Run(), CancellationToken.None)).Ok);

        Assert.DoesNotContain("STARTTLS", server.Commands);
        Assert.Equal(-1, server.CommandsBeforeTls);
    }
}
