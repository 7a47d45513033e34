using System.Globalization;
using System.Text;

namespace Stackvault.Notifications;

/// <summary>
/// Builds the DATA of a plain-text email: headers (From, To, Subject, Date, Message-ID, MIME), CRLF line ends, and
/// dot-stuffing (a line starting with '.' gets another '.'). ASCII bodies go as 7bit text; others as base64 UTF-8.
/// Header values lose their line breaks, so a job name or error cannot inject headers.
/// </summary>
internal static class SmtpMessage
{
    public static byte[] Build(SmtpSettings settings, string subject, string body, DateTimeOffset now)
    {
        var ascii = body.All(c => c < 128);
        var text = new StringBuilder();
        Header(text, "From", settings.From);
        Header(text, "To", string.Join(", ", settings.To));
        Header(text, "Subject", EncodeHeader(subject));
        Header(text, "Date", now.ToUniversalTime().ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture));
        Header(text, "Message-ID", $"<{Guid.NewGuid():N}@stackvault>");
        Header(text, "MIME-Version", "1.0");
        Header(text, "Content-Type", "text/plain; charset=utf-8");
        Header(text, "Content-Transfer-Encoding", ascii ? "7bit" : "base64");
        Header(text, "Auto-Submitted", "auto-generated");
        text.Append("\r\n");
        var lines = ascii ? SplitLines(body) : Wrap(Convert.ToBase64String(Encoding.UTF8.GetBytes(Normalize(body))), 76);
        foreach (var line in lines)
        {
            text.Append(line.StartsWith('.') ? "." + line : line).Append("\r\n");
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static void Header(StringBuilder text, string name, string value) =>
        text.Append(name).Append(": ").Append(value.Replace('\r', ' ').Replace('\n', ' ')).Append("\r\n");

    /// <summary>RFC 2047 for a subject that is not plain ASCII.</summary>
    private static string EncodeHeader(string value)
    {
        value = value.Replace('\r', ' ').Replace('\n', ' ');
        return value.All(c => c is >= ' ' and < (char)127) ? value : "=?utf-8?B?" + Convert.ToBase64String(Encoding.UTF8.GetBytes(value)) + "?=";
    }

    private static string Normalize(string body) => string.Join("\r\n", SplitLines(body));

    private static string[] SplitLines(string body) => body.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n');

    private static IEnumerable<string> Wrap(string text, int width)
    {
        for (var i = 0; i < text.Length; i += width)
        {
            yield return text.Substring(i, Math.Min(width, text.Length - i));
        }
    }
}
