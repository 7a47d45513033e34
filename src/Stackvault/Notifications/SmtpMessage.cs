using MimeKit;
using MimeKit.Text;

namespace Stackvault.Notifications;

/// <summary>
/// Builds the plain-text email (MimeKit): From, To, Subject, Date, Message-ID, Auto-Submitted, a UTF-8 text body.
/// ASCII bodies go as 7bit text, others as base64. Header values lose their line breaks first, so a job name or an
/// error cannot inject headers; MimeKit encodes a non-ASCII subject (RFC 2047) and the client dot-stuffs the DATA.
/// </summary>
internal static class SmtpMessage
{
    public static MimeMessage Build(SmtpSettings settings, string subject, string body, DateTimeOffset now)
    {
        var message = new MimeMessage { Subject = OneLine(subject), Date = now.ToUniversalTime(), MessageId = $"{Guid.NewGuid():N}@stackvault" };
        message.From.Add(MailboxAddress.Parse(settings.From));
        message.To.AddRange(settings.To.Select(MailboxAddress.Parse));
        message.Headers.Add("Auto-Submitted", "auto-generated");
        var ascii = body.All(c => c < 128);
        message.Body = new TextPart(TextFormat.Plain)
        {
            Text = body.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n'),
            ContentTransferEncoding = ascii ? ContentEncoding.SevenBit : ContentEncoding.Base64,
        };
        ((TextPart)message.Body).ContentType.Charset = "utf-8";
        return message;
    }

    private static string OneLine(string value) => value.Replace('\r', ' ').Replace('\n', ' ');
}
