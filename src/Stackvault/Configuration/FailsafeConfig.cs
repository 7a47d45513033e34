namespace Stackvault.Configuration;

/// <summary>
/// <c>failsafe:</c>: where the failsafe export goes (docs/operations.md, "The failsafe export"): a small JSON document
/// rewritten atomically after every run, readable when Prometheus itself is what failed, e.g. inside the Grafana
/// volume. <c>failsafe: {path: /var/lib/grafana/stackvault-failsafe.json}</c>.
/// </summary>
public sealed record FailsafeConfig(string Path)
{
    internal static FailsafeConfig? Read(ConfigReader reader, YNode? node)
    {
        var map = reader.Mapping(node, "failsafe", ["path"]);
        return map is null ? null : reader.AbsolutePath(map, "failsafe", "path", required: true) is { } path ? new FailsafeConfig(path) : null;
    }
}
