using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MimeKit;
using Stackvault.Notifications;
using Stackvault.Tests.Support;
using static Stackvault.Tests.Notifications.NotificationSamples;

namespace Stackvault.Tests.Notifications;

/// <summary>
/// Email notifications delivered to a real SMTP server: aiosmtpd (Debian's python3-aiosmtpd) on a free port, storing
/// what it accepts in a Maildir that the test parses back with MimeKit: plain SMTP, STARTTLS (the server requires it
/// before MAIL) and SMTPS, each with a certificate the test makes and pins.
/// </summary>
public class SmtpRealServerTests
{
    private static Task<LocalServer> StartAsync(params string[] tls) => LocalServer.StartAsync(
        "/usr/bin/python3",
        (port, dir) => ["-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{port}", .. tls.Select(t => t.Replace("{dir}", dir, StringComparison.Ordinal)), "-c", "aiosmtpd.handlers.Mailbox", Path.Combine(dir, "maildir")],
        readyPath: null,
        (_, dir) => WriteCertificate(dir));

    private static MimeMessage Delivered(LocalServer server)
    {
        var file = Assert.Single(Directory.GetFiles(Path.Combine(server.Root.Path, "maildir", "new")));
        return MimeMessage.Load(file);
    }

    private static X509Certificate2 Certificate(LocalServer server) => X509Certificate2.CreateFromPemFile(Path.Combine(server.Root.Path, "cert.pem"), Path.Combine(server.Root.Path, "key.pem"));

    private static void WriteCertificate(string dir)
    {
        if (File.Exists(Path.Combine(dir, "cert.pem")))
        {
            return;
        }

        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(Path.Combine(dir, "cert.pem"), certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(dir, "key.pem"), key.ExportPkcs8PrivateKeyPem());
    }

    [Fact]
    public async Task Plain_Delivered_ContentAndEnvelopeAsSent()
    {
        await using var server = await StartAsync();
        var url = $"smtp://127.0.0.1:{server.Port}/?from=stackvault@example.org&to=a@example.org,b@example.org&starttls=no";
        var target = Target(url, title: "Störung {{job}}", template: "Job {{job}}: {{status}}\n.hidden line\nGröße ok\nend");
        using var notifier = new Notifier([target], FastRetry);
        var result = Assert.Single(await notifier.NotifyAsync(Run(job: "x\r\nBcc: evil@example.org"), CancellationToken.None));

        Assert.True(result.Ok, result.Error);
        var mail = Delivered(server);
        Assert.Equal("Störung x  Bcc: evil@example.org", mail.Subject);
        Assert.Equal("stackvault@example.org", Assert.Single(mail.From.Mailboxes).Address);
        Assert.Equal(["a@example.org", "b@example.org"], mail.To.Mailboxes.Select(m => m.Address));
        Assert.Empty(mail.Bcc);
        Assert.Equal("a@example.org, b@example.org", mail.Headers["X-RcptTo"]); // the envelope aiosmtpd received
        Assert.Equal("auto-generated", mail.Headers["Auto-Submitted"]);
        Assert.Equal("Job x\nBcc: evil@example.org: failure\n.hidden line\nGröße ok\nend", mail.TextBody!.ReplaceLineEndings("\n").TrimEnd('\n'));
    }

    [Fact]
    public async Task StartTls_RequiredByTheServer_UpgradedThenDelivered()
    {
        await using var server = await StartAsync("--tlscert", "{dir}/cert.pem", "--tlskey", "{dir}/key.pem");
        using var pinned = Certificate(server);
        var options = FastRetry with { CertificateValidation = (_, certificate, _, _) => certificate?.GetCertHashString() == pinned.GetCertHashString() };
        using var notifier = new Notifier([Target($"smtp://127.0.0.1:{server.Port}/?from=s@example.org&to=a@example.org&starttls=yes")], options);
        var result = Assert.Single(await notifier.NotifyAsync(Run(), CancellationToken.None));

        Assert.True(result.Ok, result.Error);
        Assert.Equal("[stackvault] nightly: failure on backup-host", Delivered(server).Subject);
    }

    [Fact]
    public async Task StartTls_No_AgainstAServerRequiringIt_FailsWithoutRetry_NothingDelivered()
    {
        await using var server = await StartAsync("--tlscert", "{dir}/cert.pem", "--tlskey", "{dir}/key.pem");
        using var notifier = new Notifier([Target($"smtp://127.0.0.1:{server.Port}/?from=s@example.org&to=a@example.org&starttls=no")], FastRetry);
        var result = Assert.Single(await notifier.NotifyAsync(Run(), CancellationToken.None));

        Assert.False(result.Ok);
        Assert.Equal(1, result.Attempts);
        Assert.Contains("STARTTLS", result.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.Exists(Path.Combine(server.Root.Path, "maildir", "new")) ? Directory.GetFiles(Path.Combine(server.Root.Path, "maildir", "new")) : []);
    }

    [Fact]
    public async Task Smtps_TlsFromTheFirstByte_Delivered()
    {
        await using var server = await StartAsync("--smtpscert", "{dir}/cert.pem", "--smtpskey", "{dir}/key.pem");
        using var pinned = Certificate(server);
        var options = FastRetry with { CertificateValidation = (_, certificate, _, _) => certificate?.GetCertHashString() == pinned.GetCertHashString() };
        using var notifier = new Notifier([Target($"smtps://127.0.0.1:{server.Port}/?from=s@example.org&to=a@example.org")], options);
        var result = Assert.Single(await notifier.NotifyAsync(Run(), CancellationToken.None));

        Assert.True(result.Ok, result.Error);
        Assert.Contains("Error: component pg failed", Delivered(server).TextBody, StringComparison.Ordinal);
    }
}
