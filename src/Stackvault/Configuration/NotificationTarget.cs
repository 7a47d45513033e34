using Stackvault.Notifications;

namespace Stackvault.Configuration;

/// <summary>
/// A named notification target of <c>notifications:</c>. <paramref name="Url"/> is a secret (it holds tokens and
/// credentials): inline, <c>url_file</c>, <c>url_command</c>, or <c>STACKVAULT_NOTIFICATION_&lt;NAME&gt;_URL[_FILE]</c>.
/// <paramref name="On"/> lists the statuses that send (default failure and partial); <paramref name="Jobs"/> the jobs
/// (empty: every job). <paramref name="Template"/> and <paramref name="Title"/> override the default texts.
/// </summary>
public sealed record NotificationTarget(
    string Name,
    SecretValue Url,
    IReadOnlyList<NotificationStatus> On,
    IReadOnlyList<string> Jobs,
    string? Template,
    string? Title,
    TimeSpan? Timeout,
    int Line)
{
    public static readonly IReadOnlyList<NotificationStatus> DefaultOn = [NotificationStatus.Failure, NotificationStatus.Partial];

    /// <summary>Whether a run of <paramref name="job"/> ending with <paramref name="status"/> is sent here.</summary>
    public bool Matches(string job, NotificationStatus status) =>
        On.Contains(status) && (Jobs.Count == 0 || Jobs.Contains(job, StringComparer.Ordinal));
}
