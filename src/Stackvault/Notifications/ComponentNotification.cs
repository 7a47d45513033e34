namespace Stackvault.Notifications;

/// <summary>One component of a job run: its name, how it ended and its error (null when it succeeded).</summary>
public sealed record ComponentNotification(string Name, NotificationStatus Status, string? Error = null);
