namespace Stackvault.Notifications;

/// <summary>
/// The outcome of sending to one target. <paramref name="Endpoint"/> is safe to print (kind, host and port, never the
/// path, token or credentials); <paramref name="Error"/> is null when it was sent, and never holds a secret.
/// A failed notification is a warning for the caller, never a failed job.
/// </summary>
public sealed record NotificationResult(string Target, string Kind, string Endpoint, bool Ok, int Attempts, string? Error);
