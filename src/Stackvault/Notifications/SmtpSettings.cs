namespace Stackvault.Notifications;

/// <summary>Where and how to send an email, from an <c>smtp://</c> or <c>smtps://</c> URL.</summary>
public sealed record SmtpSettings(
    string Host,
    int Port,
    bool ImplicitTls,
    SmtpStartTls StartTls,
    string? User,
    string? Password,
    string From,
    IReadOnlyList<string> To);
