using System.CommandLine;
using Stackvault.Cli.Output;
using Stackvault.Configuration;
using Stackvault.Errors;
using Stackvault.Notifications;

namespace Stackvault.Cli.Commands;

/// <summary>
/// <c>stackvault notify test [--config F] [--target NAME]</c>: sends a test notification to every target of
/// <c>notifications:</c> (or one), ignoring their filters. Exit 0 when every target took it, 1 when one failed,
/// 2 for a bad config or an unknown target. Messages name targets and host:port, never URLs or credentials.
/// </summary>
internal static class NotifyCommand
{
    private static readonly Option<string?> ConfigFile = new("--config")
    {
        Description = $"The config file. Default: ./{ConfigDiscovery.FileName}, then {ConfigDiscovery.SystemPath}",
        Recursive = true,
    };

    private static readonly Option<string?> Target = new("--target") { Description = "Send only to this target of notifications:" };

    public static Command Create()
    {
        var test = new Command("test", "Send a test notification to every configured target (or --target NAME); exit 1 if one failed") { Target };
        test.SetAction(RunTestAsync);
        return new Command("notify", "Notification targets of stackvault.yaml (docs/notifications.md)") { ConfigFile, test };
    }

    private static async Task<int> RunTestAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var output = Program.Output(parse);
        var (config, path) = ConfigAccess.Load(parse.GetValue(ConfigFile));

        var name = parse.GetValue(Target);
        IReadOnlyList<NotificationTarget> targets = name is null ? [.. config.Notifications.Values]
            : config.Notifications.TryGetValue(name, out var one) ? [one]
            : throw new UsageException($"unknown notification target '{name}'" + Suggest(name, config));
        if (targets.Count == 0)
        {
            throw new UsageException($"{path} has no notifications: section (docs/notifications.md)");
        }

        using var notifier = new Notifier(targets);
        var results = await notifier.NotifyAsync(TestNotification(config, targets), cancellationToken);
        if (output.Json)
        {
            output.Document(new NotifyTestJson(results.All(r => r.Ok), results), CliJsonContext.Relaxed.NotifyTestJson);
        }
        else
        {
            foreach (var r in results)
            {
                var attempts = r.Attempts == 1 ? "1 attempt" : $"{r.Attempts} attempts";
                output.Result(r.Ok ? $"{r.Target}: sent ({r.Endpoint})" : $"{r.Target}: FAILED ({r.Endpoint}, {attempts}): {r.Error}");
            }
        }

        return (int)(results.All(r => r.Ok) ? ExitCode.Ok : ExitCode.Failure);
    }

    private static JobNotification TestNotification(StackvaultConfig config, IReadOnlyList<NotificationTarget> targets)
    {
        var job = targets[0].Jobs.FirstOrDefault() ?? config.Jobs.Keys.FirstOrDefault() ?? "test";
        var repository = config.Jobs.TryGetValue(job, out var j) ? j.Repository : "-";
        var components = config.Jobs.TryGetValue(job, out var jc)
            ? jc.Components.Select(c => new ComponentNotification(c, NotificationStatus.Success)).ToList()
            : [];
        return new JobNotification(
            job, NotificationStatus.Failure, null, TimeProvider.System.GetUtcNow(), TimeSpan.Zero, System.Net.Dns.GetHostName(), repository, components,
            "this is a test notification sent by `stackvault notify test`", IsTest: true);
    }

    private static string Suggest(string name, StackvaultConfig config) =>
        config.Notifications.Count == 0 ? string.Empty : $" (targets: {string.Join(", ", config.Notifications.Keys)})";
}

/// <summary><c>notify test --json</c>: whether every target took the notification, and each target's outcome.</summary>
internal sealed record NotifyTestJson(bool Ok, IReadOnlyList<NotificationResult> Results);
