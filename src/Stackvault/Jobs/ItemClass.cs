using Stackvault.Components;

namespace Stackvault.Jobs;

/// <summary>
/// <c>backup --job NAME --only config|data</c> (the runbooks' configuration-only and data-only backups): each item a
/// component stores is configuration (grafana.ini, provisioning, the Grafana API export, a files component,
/// PostgreSQL globals) or data (TSDB blocks, the Grafana database, database dumps, Loki chunks and index, Tempo
/// blocks, a command's output).
/// </summary>
public static class ItemClass
{
    public const string Config = "config";
    public const string Data = "data";

    public static IReadOnlyList<string> All { get; } = [Config, Data];

    /// <summary>The class of <paramref name="relative"/> (a path inside the component's snapshot directory).</summary>
    public static string Of(string type, string relative)
    {
        var first = relative.TrimStart('/').Split('/')[0];
        return type switch
        {
            "grafana" => first == "grafana.db" ? Data : Config,
            "postgres" => first.EndsWith(".dump", StringComparison.Ordinal) ? Data : Config,
            "files" or "kubernetes" => Config,
            _ => Data,
        };
    }

    /// <summary>Whether a component of <paramref name="type"/> can hold items of class <paramref name="only"/> (else it is not even prepared).</summary>
    public static bool Holds(string type, string only) => type switch
    {
        "grafana" or "postgres" => true,
        "files" or "kubernetes" => only == Config,
        _ => only == Data,
    };

    /// <summary>The plan with only the sources of class <paramref name="only"/> (all of them when null).</summary>
    public static ComponentPlan Filter(ComponentPlan plan, string? only)
    {
        if (only is null || plan.Sources.Count == 0)
        {
            return plan;
        }

        var prefix = plan.Section.SnapshotPath + "/";
        var kept = plan.Sources.Where(s => Of(plan.Section.Type, s.SnapshotPath.StartsWith(prefix, StringComparison.Ordinal) ? s.SnapshotPath[prefix.Length..] : s.SnapshotPath) == only).ToList();
        plan.Section.Checks ??= [];
        plan.Section.Checks["only." + only] = kept.Count;
        return plan with { Sources = kept };
    }
}
