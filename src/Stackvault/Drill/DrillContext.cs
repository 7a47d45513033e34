using Stackvault.Configuration;
using Stackvault.Repository.Model;

namespace Stackvault.Drill;

/// <summary>What a component check works on.</summary>
/// <param name="Section">The component's manifest section (its recorded checks are the expected values).</param>
/// <param name="Component">The component as configured now, or null when the config no longer has it.</param>
/// <param name="RestoredDirectory">Where the component's data was restored (a Prometheus data dir, the Grafana dir, ...).</param>
/// <param name="ScratchDirectory">Private working space of this component's check, deleted after the drill.</param>
/// <param name="Options">The drill's options (binaries, timeouts, queries).</param>
/// <param name="Time">The clock.</param>
public sealed record DrillContext(
    ComponentSection Section,
    ComponentConfig? Component,
    string RestoredDirectory,
    string ScratchDirectory,
    DrillOptions Options,
    TimeProvider Time)
{
    /// <summary>The recorded value of <paramref name="key"/>, if the backup recorded it.</summary>
    public long? Recorded(string key) => Section.Checks is { } checks && checks.TryGetValue(key, out var value) ? value : null;
}
