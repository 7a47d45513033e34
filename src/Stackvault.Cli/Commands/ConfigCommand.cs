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
                output.Document(new ConfigInvalidJson(false, path, problems.Select(ConfigProblemJson.Of)), CliJsonContext.Relaxed.ConfigInvalidJson);
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
                output.Document(ConfigDocument.ToTree(config), CliJsonContext.Relaxed.DictionaryStringObject);
            }
            else
            {
                Console.Out.Write(ConfigDocument.ToYaml(config));
            }
        }
        else if (output.Json)
        {
            output.Document(
                new ConfigValidJson(true, path, config.Repositories.Count, config.Components.Count, config.Jobs.Count, [], Components.LayoutCheck.Warnings(config)),
                CliJsonContext.Relaxed.ConfigValidJson);
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

/// <summary><c>config validate --json</c> of a config with problems.</summary>
internal sealed record ConfigInvalidJson(bool Ok, string File, IEnumerable<ConfigProblemJson> Problems);

/// <summary><c>config validate --json</c> of a valid config: its counts, no problems, and the layout warnings.</summary>
internal sealed record ConfigValidJson(bool Ok, string File, int Repositories, int Components, int Jobs, IReadOnlyList<ConfigProblemJson> Problems, IReadOnlyList<string> Warnings);

/// <summary>A problem of the config file: its YAML path, line and column, and the message.</summary>
internal sealed record ConfigProblemJson(string Path, int Line, int Column, string Message)
{
    public static ConfigProblemJson Of(ConfigProblem problem) => new(problem.YamlPath, problem.Line, problem.Column, problem.Message);
}
