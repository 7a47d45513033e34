namespace Stackvault.Notifications;

/// <summary><c>starttls=</c> of an smtp:// URL: never, required, or when the server offers it (the default).</summary>
internal enum SmtpStartTls
{
    Auto,
    Yes,
    No,
}
