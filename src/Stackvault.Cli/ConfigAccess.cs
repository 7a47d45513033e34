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
}
