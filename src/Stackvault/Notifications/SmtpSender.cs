using System.Net.Security;
using System.Text;

namespace Stackvault.Notifications;

/// <summary>
/// A small SMTP client (RFC 5321) over a TCP connection: EHLO, STARTTLS when asked or offered, AUTH PLAIN or LOGIN when
/// the URL has credentials, MAIL FROM, RCPT TO, DATA (dot-stuffed), QUIT. Every step runs under one timeout.
/// Server replies are quoted in errors; credentials never are.
/// </summary>
internal static class SmtpSender
{
    public static async ValueTask SendAsync(
        SmtpSettings settings, byte[] message, string clientName, RemoteCertificateValidationCallback? validation, CancellationToken cancellationToken)
    {
        await using var connection = await SmtpConnection.OpenAsync(settings.Host, settings.Port, cancellationToken);
        if (settings.ImplicitTls)
        {
            await connection.StartTlsAsync(settings.Host, validation, cancellationToken);
        }

        await ExpectAsync(connection, null, 220, "greeting", cancellationToken);
        var extensions = await HelloAsync(connection, clientName, cancellationToken);
        var offersTls = extensions.Any(e => e.Equals("STARTTLS", StringComparison.OrdinalIgnoreCase));
        if (settings.StartTls == SmtpStartTls.Yes && !offersTls)
        {
            throw new SmtpReplyException(554, "starttls=yes but the server does not offer STARTTLS");
        }

        if (!settings.ImplicitTls && offersTls && settings.StartTls != SmtpStartTls.No)
        {
            await ExpectAsync(connection, "STARTTLS", 220, "STARTTLS", cancellationToken);
            await connection.StartTlsAsync(settings.Host, validation, cancellationToken);
            extensions = await HelloAsync(connection, clientName, cancellationToken);
        }

        if (settings.User is not null)
        {
            await AuthenticateAsync(connection, settings, extensions, cancellationToken);
        }

        await ExpectAsync(connection, $"MAIL FROM:<{settings.From}>", 250, "MAIL FROM", cancellationToken);
        foreach (var recipient in settings.To)
        {
            await ExpectAsync(connection, $"RCPT TO:<{recipient}>", 250, "RCPT TO", cancellationToken, alsoOk: 251);
        }

        await ExpectAsync(connection, "DATA", 354, "DATA", cancellationToken);
        await connection.WriteAsync(message, cancellationToken);
        await ExpectAsync(connection, ".", 250, "the message", cancellationToken);
        try
        {
            await connection.WriteLineAsync("QUIT", cancellationToken);
            await connection.ReadReplyAsync(cancellationToken);
        }
        catch (IOException)
        {
            // The mail is accepted; a server hanging up before answering QUIT does not matter.
        }
    }

    private static async ValueTask<IReadOnlyList<string>> HelloAsync(SmtpConnection connection, string clientName, CancellationToken cancellationToken)
    {
        var lines = await ExpectAsync(connection, "EHLO " + clientName, 250, "EHLO", cancellationToken);
        return [.. lines.Skip(1)];
    }

    private static async ValueTask AuthenticateAsync(SmtpConnection connection, SmtpSettings settings, IReadOnlyList<string> extensions, CancellationToken cancellationToken)
    {
        var auth = extensions
            .Where(e => e.StartsWith("AUTH ", StringComparison.OrdinalIgnoreCase) || e.StartsWith("AUTH=", StringComparison.OrdinalIgnoreCase))
            .SelectMany(e => e[5..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(m => m.ToUpperInvariant())
            .ToHashSet(StringComparer.Ordinal);
        var user = settings.User!;
        var password = settings.Password ?? string.Empty;
        if (!auth.Contains("PLAIN") && auth.Contains("LOGIN"))
        {
            await ExpectAsync(connection, "AUTH LOGIN", 334, "AUTH LOGIN", cancellationToken);
            await ExpectAsync(connection, Base64(user), 334, "AUTH LOGIN", cancellationToken);
            await ExpectAsync(connection, Base64(password), 235, "AUTH LOGIN", cancellationToken);
            return;
        }

        await ExpectAsync(connection, "AUTH PLAIN " + Base64("\0" + user + "\0" + password), 235, "AUTH PLAIN", cancellationToken);
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static async ValueTask<IReadOnlyList<string>> ExpectAsync(
        SmtpConnection connection, string? command, int expected, string step, CancellationToken cancellationToken, int alsoOk = 0)
    {
        if (command is not null)
        {
            await connection.WriteLineAsync(command, cancellationToken);
        }

        var (code, lines) = await connection.ReadReplyAsync(cancellationToken);
        if (code != expected && code != alsoOk)
        {
            var text = string.Join(' ', lines);
            throw new SmtpReplyException(code, $"{step}: the server answered {code} {(text.Length > 200 ? text[..200] : text)}");
        }

        return lines;
    }
}
