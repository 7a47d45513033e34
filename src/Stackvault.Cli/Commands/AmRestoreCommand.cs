using System.CommandLine;
using Stackvault.Cli.Output;
using Stackvault.Components.Alertmanager;
using Stackvault.Configuration;
using Stackvault.Errors;

namespace Stackvault.Cli.Commands;

/// <summary>
/// <c>stackvault am-restore FILE --component NAME</c>: re-creates, through the component's Alertmanager API, the
/// silences of an <c>api-silences.json</c> (first restored from a snapshot with <c>restore --include</c>) that are
/// still in force, skipping those the target already has.
/// </summary>
internal static class AmRestoreCommand
{
    private static readonly Argument<string> File = new("file") { Description = "The api-silences.json, e.g. restored from /<component>/api-silences.json" };
    private static readonly Option<string> Component = new("--component") { Description = "The alertmanager component of the config file whose url to use", Required = true };
    private static readonly Option<string?> ConfigFile = new("--config") { Description = $"The config file. Default: ./{ConfigDiscovery.FileName}, then {ConfigDiscovery.SystemPath}" };

    public static Command Create()
    {
        var command = new Command("am-restore", "Re-create backed-up Alertmanager silences still in force, without duplicating existing ones")
            { File, Component, ConfigFile };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var output = Program.Output(parse);
        var (config, path) = ConfigAccess.Load(parse.GetValue(ConfigFile));
        var name = parse.GetValue(Component)!;
        var component = ConfigAccess.Component<AlertmanagerComponent>(config, path, name, "alertmanager");

        var file = parse.GetValue(File)!;
        if (!System.IO.File.Exists(file))
        {
            throw new UsageException($"{file}: no such file");
        }

        var info = new FileInfo(file);
        if (info.Length > AlertmanagerApi.MaxResponseBytes)
        {
            throw new UsageException($"{file}: larger than {AlertmanagerApi.MaxResponseBytes} bytes, not a silences listing");
        }

        var backup = Silence.ParseList(await System.IO.File.ReadAllTextAsync(file, cancellationToken), file);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        var result = await new AlertmanagerSilenceRestorer(new AlertmanagerApi(http, component.Url), TimeProvider.System).RestoreAsync(backup, cancellationToken);
        if (output.Json)
        {
            output.Line("summary", new SilencesSummaryJson(result.Created, result.Existing, result.Expired), CliJsonContext.Relaxed.SilencesSummaryJson);
        }
        else
        {
            output.Result($"silences: {result.Created} created, {result.Existing} skipped (already there), {result.Expired} skipped (expired)");
        }

        return (int)ExitCode.Ok;
    }
}

/// <summary>The <c>summary</c> record of <c>am-restore</c>.</summary>
internal sealed record SilencesSummaryJson(int Created, int SkippedExisting, int SkippedExpired);
