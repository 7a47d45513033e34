using Stackvault.Configuration;

namespace Stackvault.Restore.Live;

/// <summary>
/// Compares the engine version recorded in the snapshot with the running engine's, and words the runbooks' advice
/// for a mismatch: restore onto the version the backup was taken with, check it, then upgrade; validate the
/// configuration against the running version.
/// </summary>
public static class VersionAdvice
{
    /// <summary>Same major version for PostgreSQL (pg_restore's unit), same major.minor for the others.</summary>
    public static bool Compatible(string type, string recorded, string running)
    {
        var parts = type == "postgres" ? 1 : 2;
        return string.Equals(Prefix(recorded, parts), Prefix(running, parts), StringComparison.Ordinal);
    }

    public static string Mismatch(ComponentConfig component, string recorded, string running)
    {
        var hint = component.Type switch
        {
            "prometheus" => "newer Prometheus releases read older TSDB blocks, an older one may not read blocks a newer one compacted; check with `promtool check config` and `promtool tsdb analyze`",
            "grafana" => "Grafana migrates its database on start: an older Grafana cannot open a database a newer one migrated, and a newer one migrates the restored copy (it cannot go back)",
            "loki" or "tempo" => "a schema or block format change refuses to start; validate the config with the running version (`-config.verify`/`-validate-config`)",
            "postgres" => "pg_restore into an older major version may fail on newer syntax; into a newer one it works (check extensions)",
            _ => "check the engine's release notes",
        };
        return $"{component.Name}: version mismatch: the snapshot was taken from {component.Type} {recorded}, the running one is {running}. "
            + $"Advice: restore onto the version the backup was taken with (pin {recorded}), check it, then upgrade; {hint}";
    }

    private static string Prefix(string version, int parts)
    {
        var numbers = version.TrimStart('v').Split(['.', ' ', '-', '+'], StringSplitOptions.RemoveEmptyEntries);
        return string.Join('.', numbers.Take(parts));
    }
}
