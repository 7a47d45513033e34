namespace Stackvault.Telemetry;

/// <summary>
/// Where status.json lives: <c>--state-dir</c>, else <c>$STACKVAULT_STATE_DIR</c>, else <c>/var/lib/stackvault</c> when it
/// can be written, else <c>$XDG_STATE_HOME/stackvault</c>, else <c>~/.local/state/stackvault</c>.
/// </summary>
public static class StateDirectory
{
    public const string SystemPath = "/var/lib/stackvault";
    public const string EnvironmentVariable = "STACKVAULT_STATE_DIR";

    public static string Resolve(string? option, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (!string.IsNullOrEmpty(option))
        {
            return Path.GetFullPath(option);
        }

        if (environment(EnvironmentVariable) is { Length: > 0 } fromEnvironment)
        {
            return Path.GetFullPath(fromEnvironment);
        }

        if (IsWritable(SystemPath))
        {
            return SystemPath;
        }

        var stateHome = environment("XDG_STATE_HOME") is { Length: > 0 } xdg && Path.IsPathRooted(xdg)
            ? xdg
            : Path.Combine(environment("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state");
        return Path.Combine(stateHome, "stackvault");
    }

    public static string Resolve(string? option) => Resolve(option, Environment.GetEnvironmentVariable);

    private static bool IsWritable(string directory)
    {
        try
        {
            Directory.CreateDirectory(directory);
            var probe = Path.Combine(directory, $".probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
