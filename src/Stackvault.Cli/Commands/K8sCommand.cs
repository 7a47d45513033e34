using System.CommandLine;
using Stackvault.Components.Kubernetes;
using Stackvault.Configuration;
using Stackvault.Deploy.Kubernetes;
using Stackvault.Errors;

namespace Stackvault.Cli.Commands;

/// <summary>
/// <c>stackvault k8s manifests|restore|prune-snapshots</c>: the Kubernetes deployment of a config (docs/kubernetes.md),
/// the restore of a <c>kubernetes</c> component from its restored directory, and VolumeSnapshot retention.
/// </summary>
internal static partial class K8sCommand
{
    private static readonly Option<string?> ConfigFile = new("--config")
    {
        Description = $"The config file. Default: ./{ConfigDiscovery.FileName}, then {ConfigDiscovery.SystemPath}",
        Recursive = true,
    };

    public static Command Create() => new("k8s", "Kubernetes: generate the deployment, restore kubernetes components, prune VolumeSnapshots")
    {
        ConfigFile, Manifests(), Restore(), PruneSnapshots(),
    };

    private static (StackvaultConfig Config, string Path, string Text) LoadConfig(ParseResult parse)
    {
        var (config, path) = ConfigAccess.Load(parse.GetValue(ConfigFile));

        return (config, path, File.ReadAllText(path));
    }

    private static KubernetesComponent KubernetesComponentNamed(StackvaultConfig config, string path, string name) =>
        config.Components.GetValueOrDefault(name) as KubernetesComponent
        ?? throw new UsageException($"{path}: there is no kubernetes component {name}");
}
