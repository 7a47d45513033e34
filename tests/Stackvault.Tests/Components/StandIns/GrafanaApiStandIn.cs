namespace Stackvault.Tests.Components.StandIns;

/// <summary>
/// A stand-in for Grafana's HTTP API (no Grafana server can run in the tests), answering as Grafana 11 documents:
/// <c>/api/health</c> (status settable: 503 makes readiness fail), <c>/api/search?type=dash-db</c> (paged),
/// <c>/api/dashboards/uid/UID</c>, <c>/api/folders</c>, <c>/api/datasources</c> (with secrets that must never be
/// stored: every one contains <see cref="Leak"/>), and the alerting provisioning endpoints.
/// </summary>
public sealed class GrafanaApiStandIn : IAsyncDisposable
{
    public const string Leak = "LEAK-";

    private readonly StandInHttpServer _server;

    public GrafanaApiStandIn(string version = "11.2.0")
    {
        Version = version;
        _server = new StandInHttpServer(Route);
    }

    public string Version { get; set; }

    public int HealthStatus { get; set; } = 200;

    public Uri Url => _server.Url;

    public IReadOnlyList<string> Requests => [.. _server.Requests];

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private (int Status, string Body) Route(string method, string path) => (method, path) switch
    {
        ("GET", "/api/health") => (HealthStatus, $$"""{"commit":"standin","database":"{{(HealthStatus == 200 ? "ok" : "failing")}}","version":"{{Version}}"}"""),
        ("GET", _) when path.StartsWith("/api/search?", StringComparison.Ordinal) && path.Contains("type=dash-db", StringComparison.Ordinal) =>
            (200, path.Contains("page=1", StringComparison.Ordinal) && !path.Contains("page=10", StringComparison.Ordinal)
                ? """[{"id":1,"uid":"node","title":"Node","type":"dash-db","folderUid":"f1"},{"id":2,"uid":"loki-logs","title":"Logs","type":"dash-db"}]"""
                : "[]"),
        ("GET", "/api/dashboards/uid/node") => (200, """{"dashboard":{"uid":"node","title":"Node","panels":[{"id":1,"type":"timeseries"}]},"meta":{"folderUid":"f1","slug":"node"}}"""),
        ("GET", "/api/dashboards/uid/loki-logs") => (200, """{"dashboard":{"uid":"loki-logs","title":"Logs","panels":[]},"meta":{"slug":"logs"}}"""),
        ("GET", "/api/folders") => (200, """[{"id":1,"uid":"f1","title":"Infra"}]"""),
        ("GET", "/api/datasources") => (200, $$$"""
            [{"id":1,"uid":"prom","name":"Prometheus","type":"prometheus","url":"http://prom:9090","basicAuth":true,"basicAuthUser":"admin",
              "basicAuthPassword":"{{{Leak}}}basic","password":"{{{Leak}}}pw","secureJsonFields":{"httpHeaderValue1":true},
              "secureJsonData":{"httpHeaderValue1":"{{{Leak}}}header"},"jsonData":{"httpHeaderName1":"X-Scope-OrgID"}},
             {"id":2,"uid":"loki","name":"Loki","type":"loki","url":"http://loki:3100","secureJsonFields":{}}]
            """),
        ("GET", "/api/v1/provisioning/alert-rules") => (200, """[{"uid":"a1","title":"HighCPU","folderUID":"f1","ruleGroup":"node","condition":"C"}]"""),
        ("GET", "/api/v1/provisioning/contact-points") => (200, """[{"uid":"cp1","name":"ops","type":"email","settings":{"addresses":"ops@example.com"}},{"uid":"cp2","name":"chat","type":"slack","settings":{"url":"[REDACTED]"}}]"""),
        ("GET", "/api/v1/provisioning/policies") => (200, """{"receiver":"ops","group_by":["alertname"]}"""),
        _ => (404, """{"message":"Not found"}"""),
    };
}
