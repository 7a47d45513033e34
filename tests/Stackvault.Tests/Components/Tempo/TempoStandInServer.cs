using Stackvault.Tests.Components.StandIns;

namespace Stackvault.Tests.Components.Tempo;

/// <summary>
/// A stand-in for Tempo (Tempo cannot run in the tests), answering its documented endpoints: <c>POST /flush</c> 204 as
/// Tempo 2.x does (404 in <paramref name="tempo3"/> mode: Tempo 3.x removed it), <c>GET /ready</c>, and
/// <c>GET /api/status/buildinfo</c>. Its 2.x flush cuts a block: it writes <see cref="FlushedBlock"/> (data, then
/// meta.json last, as Tempo does), so a test sees the flush came before the copy.
/// </summary>
public sealed class TempoStandInServer : IAsyncDisposable
{
    public const string FlushedBlockId = "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9";

    private readonly StandInHttpServer _server;
    private readonly bool _tempo3;

    public TempoStandInServer(string dataDir, bool tempo3 = false, string tenant = "single-tenant", string blockRoot = "blocks")
    {
        _tempo3 = tempo3;
        FlushedBlock = Path.Combine(dataDir, blockRoot, tenant, FlushedBlockId);
        _server = new StandInHttpServer(Route);
    }

    public string Version => _tempo3 ? "3.0.0" : "2.6.0";

    public Uri Url => _server.Url;

    public string FlushedBlock { get; }

    public IReadOnlyList<string> Requests => [.. _server.Requests];

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private (int, string) Route(string method, string path) => (method, path) switch
    {
        ("POST", "/flush") when !_tempo3 => Flush(),
        ("GET", "/ready") => (200, "ready"),
        ("GET", "/api/status/buildinfo") =>
            (200, $$"""{"version":"{{Version}}","revision":"standin","branch":"HEAD","buildUser":"","buildDate":"","goVersion":"go1.23.0"}"""),
        _ => (404, "404 page not found"),
    };

    private (int, string) Flush()
    {
        Directory.CreateDirectory(FlushedBlock);
        File.WriteAllText(Path.Combine(FlushedBlock, "data.parquet"), "flushed block");
        File.WriteAllText(Path.Combine(FlushedBlock, "meta.json"), $$"""{"format":"vParquet4","blockID":"{{FlushedBlockId}}","tenantID":"single-tenant"}""");
        return (204, string.Empty);
    }
}
