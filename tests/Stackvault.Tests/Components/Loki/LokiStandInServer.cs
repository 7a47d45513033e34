using Stackvault.Tests.Components.StandIns;

namespace Stackvault.Tests.Components.Loki;

/// <summary>
/// A stand-in for Loki (Loki cannot run in the tests), answering its documented endpoints: <c>POST /flush</c> 204,
/// <c>GET /ready</c> 200 "ready", <c>GET /loki/api/v1/status/buildinfo</c>. Like Loki, its flush writes the in-memory
/// chunks to disk: here one marker chunk file, <see cref="FlushedChunk"/>, so a test sees the flush came before the copy.
/// </summary>
public sealed class LokiStandInServer : IAsyncDisposable
{
    public const string Version = "3.1.0";
    public const string FlushedChunkName = "Zmx1c2hlZA==";

    private readonly StandInHttpServer _server;

    public LokiStandInServer(string dataDir, string tenant = "fake")
    {
        FlushedChunk = Path.Combine(dataDir, "chunks", tenant, "flushed-fp", FlushedChunkName);
        _server = new StandInHttpServer(Route);
    }

    public Uri Url => _server.Url;

    public string FlushedChunk { get; }

    public IReadOnlyList<string> Requests => [.. _server.Requests];

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private (int, string) Route(string method, string path) => (method, path) switch
    {
        ("POST", "/flush") => Flush(),
        ("GET", "/ready") => (200, "ready"),
        ("GET", "/loki/api/v1/status/buildinfo") =>
            (200, $$"""{"version":"{{Version}}","revision":"standin","branch":"HEAD","buildUser":"","buildDate":"","goVersion":"go1.22.0"}"""),
        _ => (404, "404 page not found"),
    };

    private (int, string) Flush()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(FlushedChunk)!);
        File.WriteAllText(FlushedChunk, "chunk flushed by POST /flush");
        return (204, string.Empty);
    }
}
