namespace Stackvault.Configuration;

/// <summary>
/// <c>failsafe:</c>: where the failsafe export goes (docs/operations.md, "The failsafe export"): a small JSON document
/// rewritten atomically after every run, readable when Prometheus itself is what failed, e.g. inside the Grafana
/// volume. <c>failsafe: {path: /var/lib/grafana/stackvault-failsafe.json}</c>. Optionally
/// <c>otlp: {endpoint: http://collector:4318}</c>: the same runs also push the metrics of <c>/metrics</c> over
/// OTLP/HTTP (protobuf, to <c>ENDPOINT/v1/metrics</c>).
/// </summary>
public sealed record FailsafeConfig(string Path)
{
    /// <summary>The base URL of an OTLP/HTTP receiver (the metrics go to its <c>/v1/metrics</c>), or null.</summary>
    public Uri? OtlpEndpoint { get; init; }

    internal static FailsafeConfig? Read(ConfigReader reader, YNode? node)
    {
        var map = reader.Mapping(node, "failsafe", ["path", "otlp"]);
        if (map is null || reader.AbsolutePath(map, "failsafe", "path", required: true) is not { } path)
        {
            return null;
        }

        var otlp = reader.Mapping(map["otlp"], "failsafe.otlp", ["endpoint"]);
        return new FailsafeConfig(path) { OtlpEndpoint = otlp is null ? null : reader.HttpUrl(otlp, "failsafe.otlp", "endpoint", required: true) };
    }
}
