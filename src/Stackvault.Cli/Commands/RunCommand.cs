using System.CommandLine;
using Stackvault.Daemon;
using Stackvault.Errors;
using Stackvault.Telemetry;

namespace Stackvault.Cli.Commands;

/// <summary>
/// <c>stackvault run</c>: the daemon. Runs the config's jobs on their schedules (and their verify schedules), serves
/// /metrics, /healthz and /status on --listen, and on SIGTERM/SIGINT stops starting runs, lets running ones finish
/// within --shutdown-grace (then cancels them), releases every lock and exits 0.
/// </summary>
internal static class RunCommand
{
    private static readonly Option<string?> ConfigFile = new("--config") { Description = $"The config file. Default: ./{Configuration.ConfigDiscovery.FileName}, then {Configuration.ConfigDiscovery.SystemPath}" };
    private static readonly Option<string> Listen = new("--listen") { Description = $"Serve /metrics, /healthz, /status on HOST:PORT (default {ListenAddress.Default})", DefaultValueFactory = _ => ListenAddress.Default };
    private static readonly Option<TimeSpan> Grace = DurationOption.Create("--shutdown-grace", "How long running jobs may finish after SIGTERM before they are cancelled: 30s, 2m, or seconds (default 30s)", TimeSpan.FromSeconds(30));

    public static Command Create()
    {
        var command = new Command("run", "Run the jobs on their schedules (the daemon) and serve metrics and status") { ConfigFile, Listen, Grace };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var log = GlobalOptions.Log(parse);
        var address = ListenAddress.Parse(parse.GetValue(Listen) ?? ListenAddress.Default);
        var grace = parse.GetValue(Grace);
        if (grace < TimeSpan.Zero)
        {
            throw new UsageException("--shutdown-grace must be 0 or more seconds");
        }

        var config = JobBackup.LoadConfig(parse.GetValue(ConfigFile));
        var store = new StatusStore(StateDirectory.Resolve(parse.GetValue(GlobalOptions.StateDir)), TimeProvider.System);
        store.Update(_ => { }); // fails now, not at the first run, when the state directory cannot be written
        using var notifier = Notifications.Notifier.FromConfig(config);
        var options = new DaemonOptions
        {
            Config = config,
            OpenRepository = (selection, ct) => JobBackup.OpenAsync(parse, selection, ct),
            OpenConfiguredRepository = (entry, ct) => JobBackup.OpenConfiguredAsync(parse, entry, ct),
            Notifier = notifier,
            Drill = (job, ct) => DrillCommand.RunScheduledAsync(parse, config, store, job, log, ct),
            Store = store,
            Log = log,
            LockRetry = parse.GetResult(GlobalOptions.LockWait) is not { Implicit: false } ? TimeSpan.FromMinutes(1) : parse.GetValue(GlobalOptions.LockWait),
            ShutdownGrace = grace,
        };
        await using var server = new StatusServer(address, options, BuildInfo.Version);
        server.Start();
        await new Scheduler(options).RunAsync(cancellationToken);
        return (int)ExitCode.Ok;
    }
}
