using Stackvault.Errors;

namespace Stackvault.Configuration;

/// <summary>
/// Finds the configuration file: the explicit <c>--config</c> path (which must exist: a usage error, exit 2,
/// otherwise), else <c>./stackvault.yaml</c>, else <c>/etc/stackvault/stackvault.yaml</c>.
/// </summary>
public static class ConfigDiscovery
{
    public const string FileName = "stackvault.yaml";

    public const string SystemPath = "/etc/stackvault/stackvault.yaml";

    /// <summary>The path to load, or throws a usage error naming the places searched.</summary>
    public static string Resolve(string? explicitPath, string? workingDirectory = null, string systemPath = SystemPath)
    {
        if (!string.IsNullOrEmpty(explicitPath))
        {
            return File.Exists(explicitPath)
                ? Path.GetFullPath(explicitPath)
                : throw new UsageException($"config file not found: {explicitPath} (given with --config)");
        }

        var local = Path.Combine(workingDirectory ?? Directory.GetCurrentDirectory(), FileName);
        if (File.Exists(local))
        {
            return local;
        }

        return File.Exists(systemPath)
            ? systemPath
            : throw new UsageException($"no config file: looked for ./{FileName} and {systemPath}; give one with --config FILE");
    }
}
