using System.CommandLine;
using Stackvault.Cli.Output;
using Stackvault.Configuration;
using Stackvault.Errors;

namespace Stackvault.Cli.Commands;

/// <summary>
/// <c>stackvault config validate|show [--config FILE]</c>: checks stackvault.yaml and prints every problem with its
/// YAML path and line (exit 2 when there is one), or prints the effective config with secrets redacted.
/// </summary>
internal static class ConfigCommand
{
    private static readonly Option<string?> ConfigFile = new("--config")
    {
        Description = $"The config file. Default: ./{ConfigDiscovery.FileName}, then {ConfigDiscovery.SystemPath}",
        Recursive = true,
    };

    public static Command Create()
    {
        var validate = new Command("validate", "Check the config file and report every problem with its YAML path and line (exit 2 if any)");
        validate.SetAction(parse => Run(parse, show: false));
        var show = new Command("show", "Print the effective config (after environment overrides) with secrets redacted");
        show.SetAction(parse => Run(parse, show: true));
        return new Command("config", "Check or show the configuration file (stackvault.yaml)") { ConfigFile, validate, show };
    }

    private static int Run(ParseResult parse, bool show)
    {
        var output = Program.Output(parse);
        var path = ConfigDiscovery.Resolve(parse.GetValue(ConfigFile));
        var (config, problems) = ConfigLoader.Load(path);
        if (config is null)
        {
            if (output.Json)
            {
                output.Document(new { ok = false, file = path, problems = problems.Select(p => new { path = p.YamlPath, line = p.Line, column = p.Column, message = p.Message }) });
            }
            else
            {
                foreach (var problem in problems)
                {
                    output.Result(problem.ToString());
                }

                Console.Error.WriteLine($"stackvault: {path}: {problems.Count} problem(s)");
            }

            return (int)ExitCode.Usage;
        }

        if (show)
        {
            if (output.Json)
            {
                output.Document(ConfigDocument.ToTree(config));
            }
            else
            {
                Console.Out.Write(ConfigDocument.ToYaml(config));
            }
        }
        else if (output.Json)
        {
            output.Document(new { ok = true, file = path, repositories = config.Repositories.Count, components = config.Components.Count, jobs = config.Jobs.Count, problems = Array.Empty<object>(), warnings = Components.LayoutCheck.Warnings(config) });
        }
        else
        {
            foreach (var warning in Components.LayoutCheck.Warnings(config))
            {
                output.Warn(warning);
            }

            output.Result($"config ok: {config.Repositories.Count} repositories, {config.Components.Count} components, {config.Jobs.Count} jobs");
        }

        return (int)ExitCode.Ok;
    }
}
