using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace Stackvault.Notifications;

/// <summary>One attempt at one target, under its timeout, with every failure turned into an <see cref="AttemptOutcome"/>.</summary>
public sealed partial class Notifier
{
    private async ValueTask<AttemptOutcome> AttemptAsync(
        NotificationEndpoint endpoint, JobNotification notification, string title, string body, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = new CancellationTokenSource(timeout, _options.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(limit.Token, cancellationToken);
        try
        {
            if (endpoint.Kind == NotificationKind.Smtp)
            {
                var message = SmtpMessage.Build(endpoint.Smtp!, title, body, _options.Time.GetUtcNow());
                await SmtpSender.SendAsync(endpoint.Smtp!, message, _options.ClientName, _options.CertificateValidation, linked.Token);
                return AttemptOutcome.Sent;
            }

            var payload = endpoint.Kind switch
            {
                NotificationKind.Slack => NotificationPayload.Slack(title, body),
                NotificationKind.Discord => NotificationPayload.Discord(notification, title, body),
                NotificationKind.Alertmanager => NotificationPayload.Alertmanager(notification, title, body, _options.Time.GetUtcNow()),
                _ => NotificationPayload.Generic(notification, title, body),
            };
            return await PostAsync(endpoint, payload, linked.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return AttemptOutcome.Retry($"no answer within {Configuration.DurationFormat.Format(timeout)}");
        }
        catch (SmtpCommandException e)
        {
            var code = (int)e.StatusCode;
            var error = $"{Step(e.ErrorCode)}: the server answered {code} {Cut(e.Message)}";
            return code is >= 400 and < 500 ? AttemptOutcome.Retry(error) : AttemptOutcome.Fail(error);
        }
        catch (SmtpProtocolException e)
        {
            return AttemptOutcome.Retry("SMTP protocol: " + Cut(e.Message));
        }
        catch (MailKit.Security.AuthenticationException e)
        {
            return AttemptOutcome.Fail("SMTP authentication: " + Cut(e.Message));
        }
        catch (SslHandshakeException e)
        {
            return AttemptOutcome.Fail("TLS: " + Cut(e.InnerException?.Message ?? e.Message));
        }
        catch (System.Security.Authentication.AuthenticationException e)
        {
            return AttemptOutcome.Fail("TLS: " + e.Message);
        }
        catch (NotSupportedException e) when (endpoint.Kind == NotificationKind.Smtp)
        {
            // MailKit: STARTTLS required but not offered, or credentials given but no AUTH mechanism it can use.
            return AttemptOutcome.Fail(Cut(e.Message));
        }
        catch (MailKit.ServiceNotAuthenticatedException e)
        {
            // 530: the server wants AUTH (or STARTTLS) before MAIL FROM; trying again changes nothing.
            return AttemptOutcome.Fail("SMTP: the server refused the mail before authentication or STARTTLS: " + Cut(e.Message));
        }
        catch (Exception e) when (endpoint.Kind == NotificationKind.Smtp && e is MailKit.CommandException or MailKit.ProtocolException or MailKit.ServiceNotConnectedException)
        {
            return AttemptOutcome.Retry("SMTP: " + Cut(e.Message));
        }
        catch (Exception e) when (e is HttpRequestException or IOException or SocketException)
        {
            return AttemptOutcome.Retry(Describe(e));
        }
        catch (Exception e) when (endpoint.Kind == NotificationKind.Smtp && e is not OperationCanceledException)
        {
            // Any other refusal from MailKit is a failed target, never an exception out of the notifier.
            return AttemptOutcome.Fail("SMTP: " + Cut(e.Message));
        }
    }

    private async ValueTask<AttemptOutcome> PostAsync(NotificationEndpoint endpoint, byte[] payload, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Target) { Content = new ByteArrayContent(payload) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.UserAgent.ParseAdd("stackvault");
        if (endpoint.User is not null)
        {
            var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{endpoint.User}:{endpoint.Password}"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", credentials);
        }

        using var response = await _http.SendAsync(request, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return AttemptOutcome.Sent;
        }

        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        text = text.Length > 200 ? text[..200] : text;
        var error = $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}" + (text.Trim().Length > 0 ? ": " + text.Trim() : string.Empty);
        var status = (int)response.StatusCode;
        return status >= 500 || status == 429 ? AttemptOutcome.Retry(error) : AttemptOutcome.Fail(error);
    }

    private static string Step(SmtpErrorCode code) => code switch
    {
        SmtpErrorCode.SenderNotAccepted => "MAIL FROM",
        SmtpErrorCode.RecipientNotAccepted => "RCPT TO",
        SmtpErrorCode.MessageNotAccepted => "the message",
        _ => "SMTP",
    };

    /// <summary>The first line, at most 200 characters: MailKit's messages can run to paragraphs.</summary>
    private static string Cut(string text)
    {
        var line = text.Split('\n', 2)[0].Trim();
        return line.Length > 200 ? line[..200] : line;
    }

    private static string Describe(Exception e)
    {
        var inner = e;
        while (inner.InnerException is not null && inner.Message.Length == 0)
        {
            inner = inner.InnerException;
        }

        return inner is SocketException socket ? $"cannot connect: {socket.SocketErrorCode}" : inner.Message;
    }
}
