using System.Reflection;

namespace Stackvault.Telemetry;

/// <summary>Stackvault's version for stackvault_build_info and logs (the informational version, without a commit suffix).</summary>
public static class BuildInfo
{
    public static string Version { get; } =
        (typeof(BuildInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0").Split('+')[0];
}
