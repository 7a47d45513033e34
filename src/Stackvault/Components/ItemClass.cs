namespace Stackvault.Components;

/// <summary>
/// <c>--only config|data</c> (the runbooks' configuration-only and data-only backups and restores): each item a
/// component stores is configuration (grafana.ini, provisioning, plugins, the Grafana API export, a files component,
/// PostgreSQL globals, Kubernetes objects) or data (TSDB blocks, the Grafana database, database dumps, Loki chunks and
/// index, Tempo blocks, a command's output, bucket objects). Each engine classifies its own items
/// (<see cref="IEngine.ClassOf"/>).
/// </summary>
public enum ItemClass
{
    Config,
    Data,
}

/// <summary>Names and filters of <see cref="ItemClass"/>.</summary>
public static class ItemClasses
{
    public static IReadOnlyList<string> Names { get; } = ["config", "data"];

    public static string Name(this ItemClass value) => value == ItemClass.Config ? "config" : "data";

    /// <summary>The class named <paramref name="name"/> (<c>config</c> or <c>data</c>), else a usage error.</summary>
    public static ItemClass Parse(string name) => name switch
    {
        "config" => ItemClass.Config,
        "data" => ItemClass.Data,
        _ => throw new Errors.UsageException($"--only takes {string.Join(" or ", Names)}, not '{name}'"),
    };

    /// <summary>The class of <paramref name="relative"/> (a path inside the component's snapshot directory) for a component of <paramref name="type"/>.</summary>
    public static ItemClass Of(string type, string relative) => EngineCatalog.For(type).ClassOf(relative.TrimStart('/'));

    /// <summary>Whether a component of <paramref name="type"/> can hold items of class <paramref name="only"/> (else it is not even prepared).</summary>
    public static bool Holds(string type, ItemClass only) => EngineCatalog.For(type).Holds.Contains(only);

    /// <summary>
    /// The plan with only the sources of class <paramref name="only"/> (all of them when null), its count recorded as
    /// <c>only.config</c>/<c>only.data</c>. Adapters that make a costly copy (a database) skip it themselves for
    /// <c>--only config</c>; this filter is the guarantee that nothing of the other class is stored.
    /// </summary>
    public static ComponentPlan Filter(ComponentPlan plan, ItemClass? only)
    {
        if (only is not { } wanted || plan.Sources.Count == 0 && plan.Section.Error is not null)
        {
            return plan;
        }

        var prefix = plan.Section.SnapshotPath + "/";
        var kept = plan.Sources.Where(s => Of(plan.Section.Type, s.SnapshotPath.StartsWith(prefix, StringComparison.Ordinal) ? s.SnapshotPath[prefix.Length..] : s.SnapshotPath) == wanted).ToList();
        plan.Section.Checks ??= [];
        plan.Section.Checks["only." + wanted.Name()] = kept.Count;
        return plan with { Sources = kept };
    }
}
