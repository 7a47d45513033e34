using Stackvault.Configuration;
using Stackvault.Errors;

namespace Stackvault.Cli;

/// <summary>Finds and loads stackvault.yaml for a command; a config with problems is a usage error naming the first.</summary>
internal static class ConfigAccess
{
    /// <summary>--config FILE, else ./stackvault.yaml, else /etc/stackvault/stackvault.yaml; the config and its path.</summary>
    public static (StackvaultConfig Config, string Path) Load(string? configFile)
    {
        var path = ConfigDiscovery.Resolve(configFile);
        var (config, problems) = ConfigLoader.Load(path);
        return config is null
            ? throw new UsageException($"{path}: {problems.Count} problem(s), first: {problems[0]} (run `stackvault config validate`)")
            : (config, path);
    }

    /// <summary>The component <paramref name="name"/> when it is a <typeparamref name="T"/>; otherwise a usage error naming the kind wanted.</summary>
    public static T Component<T>(StackvaultConfig config, string path, string name, string kind)
        where T : class =>
        config.Components.GetValueOrDefault(name) as T ?? throw new UsageException($"{path}: there is no {kind} component {name}");
}
