using Stackvault.Components.Bucket;
using Stackvault.Components.Command;
using Stackvault.Components.Files;
using Stackvault.Components.Grafana;
using Stackvault.Components.Kubernetes;
using Stackvault.Components.Loki;
using Stackvault.Components.Postgres;
using Stackvault.Components.Prometheus;
using Stackvault.Components.Tempo;
using Stackvault.Configuration;
using Stackvault.Errors;

namespace Stackvault.Components;

/// <summary>
/// The one registry of engines: config reading, backup, restore, probes and drills all look an engine up here by its
/// <c>type:</c>. To add an engine, add its <see cref="IEngine"/> to <see cref="All"/> (see <see cref="IEngine"/>'s
/// remarks); nothing else needs to know its type string.
/// </summary>
internal static class EngineCatalog
{
    /// <summary>Every engine, in the order <c>config validate</c> lists the types.</summary>
    public static IReadOnlyList<IEngine> All { get; } =
    [
        new PrometheusEngine(),
        new GrafanaEngine(),
        new LokiEngine(),
        new TempoEngine(),
        new PostgresEngine(),
        new FilesEngine(),
        new CommandEngine(),
        new BucketEngine(),
        new KubernetesEngine(),
        new Alertmanager.AlertmanagerEngine(),
    ];

    private static readonly Dictionary<string, IEngine> ByType = All.ToDictionary(e => e.Type, StringComparer.Ordinal);

    public static IEnumerable<string> Types => All.Select(e => e.Type);

    /// <summary>The engine of <paramref name="type"/>, or null when none is registered.</summary>
    public static IEngine? Find(string type) => ByType.GetValueOrDefault(type);

    /// <summary>The engine of <paramref name="type"/>; an unknown type (a manifest from a newer version) is an error.</summary>
    public static IEngine For(string type) => Find(type)
        ?? throw new StackvaultException($"unknown component type '{type}' (this version knows {string.Join(", ", Types)})");

    public static IEngine Of(ComponentConfig component) => For(component.Type);

    /// <summary>The backup adapter of every engine.</summary>
    public static IReadOnlyList<IComponentAdapter> Adapters(EngineServices services) => [.. All.Select(e => e.Adapter(services))];
}
