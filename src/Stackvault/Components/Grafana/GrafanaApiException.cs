namespace Stackvault.Components.Grafana;

/// <summary>A Grafana API call that failed; <see cref="Unreachable"/> stops the export (the next calls would fail too).</summary>
internal sealed class GrafanaApiException(string message, bool unreachable) : Exception(message)
{
    public bool Unreachable { get; } = unreachable;
}
