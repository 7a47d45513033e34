using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Stackvault.Notifications;

/// <summary>The bodies POSTed to generic, Slack and Alertmanager targets (UTF-8 JSON).</summary>
public static class NotificationPayload
{
    /// <summary>How long an Alertmanager alert for a failed run stays firing unless a later success resolves it.</summary>
    public static readonly TimeSpan AlertLifetime = TimeSpan.FromHours(24);

    /// <summary>The generic webhook: the rendered title and message, and every field on its own.</summary>
    public static byte[] Generic(JobNotification n, string title, string message) => Serialize(new JsonObject
    {
        ["title"] = title,
        ["message"] = message,
        ["job"] = n.Job,
        ["status"] = n.StatusText,
        ["test"] = n.IsTest,
        ["snapshot"] = n.SnapshotId,
        ["host"] = n.Host,
        ["repository"] = n.Repository,
        ["started_at"] = Timestamp(n.StartedAt),
        ["finished_at"] = Timestamp(n.FinishedAt),
        ["duration_seconds"] = Math.Round(n.Duration.TotalSeconds, 3),
        ["error"] = n.Error,
        ["components"] = new JsonArray([.. n.Components.Select(c => (JsonNode)new JsonObject
        {
            ["name"] = c.Name,
            ["status"] = JobNotification.StatusName(c.Status),
            ["error"] = c.Error,
        })]),
    });

    /// <summary>
    /// Discord's execute-webhook body: the title as <c>content</c> (at most 2000 characters), one embed with the title
    /// (256) and the message (4096) coloured by status, and <c>allowed_mentions</c> empty so that a job name or an error
    /// holding <c>@everyone</c> pings nobody.
    /// </summary>
    public static byte[] Discord(JobNotification n, string title, string message) => Serialize(new JsonObject
    {
        ["username"] = "stackvault",
        ["content"] = Cut(title, 2000),
        ["embeds"] = new JsonArray(new JsonObject
        {
            ["title"] = Cut(title, 256),
            ["description"] = Cut(message, 4096),
            ["color"] = n.IsTest ? 0x3498DB : n.Status switch { NotificationStatus.Success => 0x2ECC71, NotificationStatus.Partial => 0xF1C40F, _ => 0xE74C3C },
            ["timestamp"] = Timestamp(n.FinishedAt),
        }),
        ["allowed_mentions"] = new JsonObject { ["parse"] = new JsonArray() },
    });

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    /// <summary>A Slack incoming-webhook message: the title in bold, then the message.</summary>
    public static byte[] Slack(string title, string message) => Serialize(new JsonObject { ["text"] = $"*{title}*\n{message}" });

    /// <summary>
    /// Alertmanager's <c>POST /api/v2/alerts</c>: a failed or partial run fires <c>StackvaultJobFailed</c> (severity
    /// critical or warning) until <see cref="AlertLifetime"/> after the run; a successful run resolves both (endsAt = now).
    /// A test notification fires <c>StackvaultNotificationTest</c> for five minutes.
    /// </summary>
    public static byte[] Alertmanager(JobNotification n, string title, string message, DateTimeOffset now)
    {
        var alerts = new JsonArray();
        if (n.IsTest)
        {
            alerts.Add((JsonNode)Alert("StackvaultNotificationTest", "info", n, title, message, now, now + TimeSpan.FromMinutes(5)));
        }
        else if (n.Status == NotificationStatus.Success)
        {
            alerts.Add((JsonNode)Alert("StackvaultJobFailed", "critical", n, title, message, n.StartedAt, now));
            alerts.Add((JsonNode)Alert("StackvaultJobFailed", "warning", n, title, message, n.StartedAt, now));
        }
        else
        {
            var severity = n.Status == NotificationStatus.Failure ? "critical" : "warning";
            alerts.Add((JsonNode)Alert("StackvaultJobFailed", severity, n, title, message, n.FinishedAt, n.FinishedAt + AlertLifetime));
        }

        return Serialize(alerts);
    }

    private static JsonObject Alert(string name, string severity, JobNotification n, string title, string message, DateTimeOffset starts, DateTimeOffset ends) => new()
    {
        ["labels"] = new JsonObject
        {
            ["alertname"] = name,
            ["severity"] = severity,
            ["job"] = n.Job,
            ["instance"] = n.Host,
            ["repository"] = n.Repository,
            ["service"] = "stackvault",
        },
        ["annotations"] = new JsonObject
        {
            ["summary"] = title,
            ["description"] = message,
            ["status"] = n.StatusText,
            ["snapshot"] = n.SnapshotId ?? string.Empty,
        },
        ["startsAt"] = Timestamp(starts),
        ["endsAt"] = Timestamp(ends),
        ["generatorURL"] = $"stackvault://{Uri.EscapeDataString(n.Host)}/jobs/{Uri.EscapeDataString(n.Job)}",
    };

    private static string Timestamp(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>The node as UTF-8 JSON, compact, default escaping (what the serializer wrote for it; no reflection).</summary>
    private static byte[] Serialize(JsonNode node)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            node.WriteTo(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
