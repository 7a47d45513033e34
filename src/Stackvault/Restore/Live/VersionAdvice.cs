using Stackvault.Components;
using Stackvault.Configuration;

namespace Stackvault.Restore.Live;

/// <summary>
/// Compares the engine version recorded in the snapshot with the running engine's, and words the runbooks' advice
/// for a mismatch: restore onto the version the backup was taken with, check it, then upgrade; validate the
/// configuration against the running version. What must match and what to mind are the engine's
/// (<see cref="EngineRestore.VersionParts"/>, <see cref="EngineRestore.VersionHint"/>).
/// </summary>
public static class VersionAdvice
{
    /// <summary>Same major version for PostgreSQL (pg_restore's unit), same major.minor for the others.</summary>
    public static bool Compatible(string type, string recorded, string running)
    {
        var parts = EngineCatalog.Find(type)?.Restore.VersionParts ?? 2;
        return string.Equals(Prefix(recorded, parts), Prefix(running, parts), StringComparison.Ordinal);
    }

    public static string Mismatch(ComponentConfig component, string recorded, string running)
    {
        var hint = EngineCatalog.Find(component.Type)?.Restore.VersionHint ?? "check the engine's release notes";
        return $"{component.Name}: version mismatch: the snapshot was taken from {component.Type} {recorded}, the running one is {running}. "
            + $"Advice: restore onto the version the backup was taken with (pin {recorded}), check it, then upgrade; {hint}";
    }

    private static string Prefix(string version, int parts)
    {
        var numbers = version.TrimStart('v').Split(['.', ' ', '-', '+'], StringSplitOptions.RemoveEmptyEntries);
        return string.Join('.', numbers.Take(parts));
    }
}
