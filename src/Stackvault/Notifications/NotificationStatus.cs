namespace Stackvault.Notifications;

/// <summary>How a job run ended, as notifications name it (<c>success</c>, <c>partial</c>, <c>failure</c>).</summary>
public enum NotificationStatus
{
    Success,
    Partial,
    Failure,
}
