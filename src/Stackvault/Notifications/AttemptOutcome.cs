namespace Stackvault.Notifications;

/// <summary>One try at sending: sent, or an error (secret-free) and whether it is worth one retry.</summary>
internal readonly record struct AttemptOutcome(bool Ok, bool Retryable, string? Error)
{
    public static readonly AttemptOutcome Sent = new(true, false, null);

    public static AttemptOutcome Retry(string error) => new(false, true, error);

    public static AttemptOutcome Fail(string error) => new(false, false, error);
}
