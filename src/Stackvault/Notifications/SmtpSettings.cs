namespace Stackvault.Notifications;

/// <summary>Where and how to send an email, from an <c>smtp://</c> or <c>smtps://</c> URL.</summary>
internal sealed record SmtpSettings(
    string Host,
    int Port,
    bool ImplicitTls,
    SmtpStartTls StartTls,
    string? User,
    string? Password,
    string From,
    IReadOnlyList<string> To)
{
    /// <summary>Without the credentials (the generated form would print the password).</summary>
    public override string ToString() => $"smtp {Host}:{Port} from {From} to {string.Join(", ", To)}";
}
