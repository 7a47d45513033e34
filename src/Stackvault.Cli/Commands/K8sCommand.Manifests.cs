using System.CommandLine;
using Stackvault.Cli.Output;
using Stackvault.Deploy.Kubernetes;
using Stackvault.Errors;

namespace Stackvault.Cli.Commands;

/// <summary><c>stackvault k8s manifests</c>.</summary>
internal static partial class K8sCommand
{
    private const string DashboardRelative = "deploy/grafana/stackvault-dashboard.json";
    private const string RulesRelative = "deploy/prometheus/stackvault-alerts.yaml";

    private static Command Manifests()
    {
        var ns = new Option<string>("--namespace") { Description = "The namespace Stackvault runs in", DefaultValueFactory = _ => "stackvault" };
        var image = new Option<string>("--image") { Description = "The Stackvault image", DefaultValueFactory = _ => ManifestOptions.DefaultImage };
        var scheduler = new Option<string>("--scheduler") { Description = "daemon: the daemon runs the jobs (CronJobs suspended, for manual runs); cronjob: CronJobs run them, no daemon", DefaultValueFactory = _ => ManifestOptions.Daemon };
        scheduler.AcceptOnlyFromAmong(ManifestOptions.Daemon, ManifestOptions.CronJob);
        var secret = new Option<string>("--secret") { Description = "The Secret the pods read as environment and as files under /etc/stackvault/secrets (referenced, never written)", DefaultValueFactory = _ => "stackvault-secrets" };
        var shards = new Option<int>("--shards") { Description = "Parts of each bucket component's Indexed Job", DefaultValueFactory = _ => 4 };
        var dashboard = new Option<string?>("--dashboard") { Description = $"The Grafana dashboard JSON. Default: {DashboardRelative} found from the current directory or the binary upwards" };
        var rules = new Option<string?>("--rules") { Description = $"The Prometheus alert rules file. Default: {RulesRelative}, found likewise" };
        var size = new Option<string>("--repository-size") { Description = "The PVC size of each local-path repository", DefaultValueFactory = _ => "50Gi" };
        var outputDirectory = new Option<string?>("--output", "-o") { Description = "Write one file per object and a kustomization.yaml into this directory (default: all to stdout)" };
        var command = new Command("manifests", "Write the Kubernetes deployment of the config: ConfigMap, CronJobs, daemon, monitoring, RBAC")
            { ns, image, scheduler, secret, shards, dashboard, rules, size, outputDirectory };
        command.SetAction(parse =>
        {
            var output = Program.Output(parse);
            var (config, _, text) = LoadConfig(parse);
            var dashboardFile = parse.GetValue(dashboard) ?? Find(DashboardRelative);
            var rulesFile = parse.GetValue(rules) ?? Find(RulesRelative);
            var options = new ManifestOptions
            {
                Namespace = parse.GetValue(ns)!,
                Image = parse.GetValue(image)!,
                Scheduler = parse.GetValue(scheduler)!,
                SecretName = parse.GetValue(secret)!,
                Shards = parse.GetValue(shards),
                RepositorySize = parse.GetValue(size)!,
                DashboardJson = Read(dashboardFile),
                AlertRulesYaml = Read(rulesFile),
                ConfigText = text,
            };
            var objects = ManifestGenerator.Generate(config, options);
            foreach (var (file, what) in new[] { (dashboardFile, "dashboard ConfigMap"), (rulesFile, "PrometheusRule") }.Where(f => f.Item1 is null))
            {
                output.Warn($"no {what}: its file was not found (give it with --{(what == "PrometheusRule" ? "rules" : "dashboard")})");
            }

            if (parse.GetValue(outputDirectory) is { } directory)
            {
                var files = ManifestWriter.WriteDirectory(objects, directory);
                if (output.Json)
                {
                    output.Document(
                        new ManifestFilesJson(directory, files.Select(Path.GetFileName), objects.Select(o => new ManifestFileJson(o.Kind, o.Name, o.FileName))),
                        CliJsonContext.Relaxed.ManifestFilesJson);
                }
                else
                {
                    output.Result($"wrote {objects.Count} objects and kustomization.yaml into {directory}");
                }
            }
            else if (output.Json)
            {
                output.Document(new ManifestObjectsJson(objects.Select(o => o.Body)), CliJsonContext.Relaxed.ManifestObjectsJson);
            }
            else
            {
                Console.Out.Write(ManifestWriter.Stream(objects));
            }

            return (int)ExitCode.Ok;
        });
        return command;
    }

    /// <summary><paramref name="relative"/> in the current directory or the binary's, or a parent of either.</summary>
    private static string? Find(string relative)
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, relative);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    private static string? Read(string? file)
    {
        try
        {
            return file is null ? null : File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read {file}: {e.Message}");
        }
    }
}

/// <summary><c>k8s manifests -o DIR --json</c>: the directory, the files written, and the object in each.</summary>
internal sealed record ManifestFilesJson(string Directory, IEnumerable<string?> Files, IEnumerable<ManifestFileJson> Objects);

/// <summary>One generated object and the file it was written to.</summary>
internal sealed record ManifestFileJson(string Kind, string Name, string File);

/// <summary><c>k8s manifests --json</c> to stdout: every generated object (plain trees, see <see cref="Output.PlainTreeJsonConverter"/>).</summary>
internal sealed record ManifestObjectsJson(IEnumerable<Dictionary<string, object?>> Objects);
