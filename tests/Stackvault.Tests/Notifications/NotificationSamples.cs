using Stackvault.Configuration;
using Stackvault.Notifications;

namespace Stackvault.Tests.Notifications;

/// <summary>Targets and job runs used by the notification tests.</summary>
internal static class NotificationSamples
{
    public const string Secret = "Xs3cr3tT0ken";

    public static readonly NotifierOptions FastRetry = new() { RetryDelay = TimeSpan.FromMilliseconds(10), Timeout = TimeSpan.FromSeconds(10), ClientName = "tester" };

    public static NotificationTarget Target(string url, string name = "t", NotificationStatus[]? on = null, string[]? jobs = null, string? template = null, string? title = null) =>
        new(name, SecretValue.Inline(url), on ?? [.. NotificationTarget.DefaultOn], jobs ?? [], template, title, null, 1);

    public static JobNotification Run(NotificationStatus status = NotificationStatus.Failure, string job = "nightly") => new(
        job,
        status,
        status == NotificationStatus.Failure ? null : "1a2b3c4d",
        new DateTimeOffset(2026, 11, 21, 2, 0, 0, TimeSpan.Zero),
        TimeSpan.FromSeconds(95),
        "backup-host",
        "local",
        [new ComponentNotification("prom", NotificationStatus.Success), new ComponentNotification("pg", status, status == NotificationStatus.Success ? null : "pg_dump exited with code 1")],
        status == NotificationStatus.Success ? null : "component pg failed");
}
