namespace Stackvault.Notifications;

/// <summary>
/// What a job run reports to the notification targets. <paramref name="SnapshotId"/> is null when no snapshot was
/// saved; <paramref name="Error"/> is the run's error text (already free of secrets), null on success.
/// <paramref name="IsTest"/> marks the message sent by <c>stackvault notify test</c>.
/// </summary>
public sealed record JobNotification(
    string Job,
    NotificationStatus Status,
    string? SnapshotId,
    DateTimeOffset StartedAt,
    TimeSpan Duration,
    string Host,
    string Repository,
    IReadOnlyList<ComponentNotification> Components,
    string? Error,
    bool IsTest = false)
{
    /// <summary>When the run ended.</summary>
    public DateTimeOffset FinishedAt => StartedAt + Duration;

    /// <summary>The status as sent: <c>test</c> for <c>stackvault notify test</c>, else <see cref="StatusName"/>.</summary>
    public string StatusText => IsTest ? "test" : StatusName(Status);

    public static string StatusName(NotificationStatus status) => status switch
    {
        NotificationStatus.Success => "success",
        NotificationStatus.Partial => "partial",
        _ => "failure",
    };

    public static bool TryParseStatus(string text, out NotificationStatus status)
    {
        status = text switch
        {
            "success" => NotificationStatus.Success,
            "partial" => NotificationStatus.Partial,
            "failure" => NotificationStatus.Failure,
            _ => (NotificationStatus)(-1),
        };
        return Enum.IsDefined(status);
    }
}
