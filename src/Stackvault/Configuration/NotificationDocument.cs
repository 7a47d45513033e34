using Stackvault.Notifications;

namespace Stackvault.Configuration;

/// <summary>The <c>notifications:</c> part of <c>config show</c>: the URL only as <c>*** (source)</c>.</summary>
internal static class NotificationDocument
{
    public static Dictionary<string, object?> AddTo(StackvaultConfig config, Dictionary<string, object?> tree)
    {
        if (config.Notifications.Count > 0)
        {
            tree["notifications"] = config.Notifications.Values.ToDictionary(n => n.Name, n => (object?)Target(n));
        }

        return tree;
    }

    private static Dictionary<string, object?> Target(NotificationTarget target)
    {
        var tree = new Dictionary<string, object?>
        {
            ["url"] = ConfigDocument.Secret(target.Url),
            ["on"] = target.On.Select(JobNotification.StatusName).ToList(),
        };
        if (target.Jobs.Count > 0)
        {
            tree["jobs"] = target.Jobs;
        }

        if (target.Title is not null)
        {
            tree["title"] = target.Title;
        }

        if (target.Template is not null)
        {
            tree["template"] = target.Template;
        }

        if (target.Timeout is { } timeout)
        {
            tree["timeout"] = DurationFormat.Format(timeout);
        }

        return tree;
    }
}
