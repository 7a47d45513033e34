namespace Stackvault.Components.Prometheus;

/// <summary>The answer of <c>GET /api/v1/status/buildinfo</c>: the version (for example <c>2.42.0+ds</c>) and the revision.</summary>
public sealed record PrometheusBuildInfo(string Version, string Revision);
