namespace Stackvault.Notifications;

/// <summary>An SMTP server answered with an error. 4xx replies are transient (worth one retry), 5xx permanent.</summary>
internal sealed class SmtpReplyException(int code, string message) : Exception(message)
{
    public int Code { get; } = code;

    public bool IsTransient => Code is >= 400 and < 500;
}
