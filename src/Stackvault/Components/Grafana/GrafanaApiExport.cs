namespace Stackvault.Components.Grafana;

/// <summary>What <see cref="GrafanaApiExporter"/> wrote: the directory, counts per kind (<c>api.dashboards</c>, ...), warnings.</summary>
public sealed class GrafanaApiExport(string directory)
{
    public string Directory { get; } = directory;

    public Dictionary<string, long> Counts { get; } = new(StringComparer.Ordinal);

    public List<string> Warnings { get; } = [];

    /// <summary>Whether anything was exported (else nothing goes into the snapshot).</summary>
    public bool Stored => Counts.Count > 0;

    /// <summary>Adds the counts to the section's checks and the warnings to its error text (the section stays complete).</summary>
    public void Record(Repository.Model.ComponentSection section)
    {
        section.Checks ??= [];
        foreach (var (key, value) in Counts)
        {
            section.Checks[key] = value;
        }

        if (Warnings.Count > 0)
        {
            section.Error = string.Join("; ", Warnings.Prepend(section.Error).OfType<string>());
        }
    }
}
