using System.Net.Security;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Stackvault.Notifications;

/// <summary>
/// Sends one email with MailKit's SMTP client: TLS from the start (<c>smtps://</c>), STARTTLS never, required or when
/// offered, then AUTH (MailKit picks the strongest mechanism the server offers) when the URL has credentials.
/// Credentials never reach an error message: MailKit's errors quote the server, and the caller scrubs the URL parts.
/// </summary>
internal static class SmtpSender
{
    public static async ValueTask SendAsync(
        SmtpSettings settings, MimeMessage message, string clientName, RemoteCertificateValidationCallback? validation, CancellationToken cancellationToken)
    {
        using var client = new SmtpClient { LocalDomain = clientName, CheckCertificateRevocation = false };
        if (validation is not null)
        {
            client.ServerCertificateValidationCallback = validation;
        }

        var security = settings.ImplicitTls ? SecureSocketOptions.SslOnConnect : settings.StartTls switch
        {
            SmtpStartTls.Yes => SecureSocketOptions.StartTls,
            SmtpStartTls.No => SecureSocketOptions.None,
            _ => SecureSocketOptions.StartTlsWhenAvailable,
        };
        await client.ConnectAsync(settings.Host, settings.Port, security, cancellationToken);
        if (settings.User is not null)
        {
            await client.AuthenticateAsync(settings.User, settings.Password ?? string.Empty, cancellationToken);
        }

        await client.SendAsync(message, cancellationToken);
        try
        {
            await client.DisconnectAsync(quit: true, cancellationToken);
        }
        catch (Exception e) when (e is IOException or SmtpProtocolException)
        {
            // The mail is accepted; a server hanging up before answering QUIT does not matter.
        }
    }
}
