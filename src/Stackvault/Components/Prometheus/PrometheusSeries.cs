namespace Stackvault.Components.Prometheus;

/// <summary>A series returned by a query: its labels (with <c>__name__</c> when present) and its samples, oldest first.</summary>
public sealed record PrometheusSeries(IReadOnlyDictionary<string, string> Labels, IReadOnlyList<PrometheusSample> Samples);
