using Stackvault.Components.Prometheus;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Components.Prometheus;

/// <summary>
/// A real /usr/bin/prometheus run as a <see cref="LocalServer"/> (127.0.0.1, a free port, a temporary data directory),
/// scraping itself every second, with the admin API enabled (see <see cref="PrometheusWithoutAdminApiFixture"/> for the
/// other variant). Killed and removed at the end.
/// </summary>
public class PrometheusServerFixture : IAsyncLifetime
{
    public const string Binary = "/usr/bin/prometheus";
    private readonly bool _enableAdminApi;
    private LocalServer _server = null!;

    public PrometheusServerFixture()
        : this(enableAdminApi: true)
    {
    }

    protected PrometheusServerFixture(bool enableAdminApi) => _enableAdminApi = enableAdminApi;

    public TempDirectory Root => _server.Root;

    public string DataDirectory => Root.Sub("data");

    public Uri Url => _server.Url;

    public HttpClient Http => _server.Http;

    public PrometheusClient Client { get; private set; } = null!;

    public static int FreePort() => LocalServer.FreePort();

    /// <summary>Starts a Prometheus on a free port with <paramref name="config"/> and its data in <paramref name="dataDirectory"/> (default: under its own directory).</summary>
    public static Task<LocalServer> StartAsync(string config, string? dataDirectory = null, bool enableAdminApi = true) => LocalServer.StartAsync(
        Binary,
        (port, directory) =>
        [
            $"--config.file={Path.Combine(directory, "prometheus.yml")}", $"--storage.tsdb.path={dataDirectory ?? Path.Combine(directory, "data")}",
            $"--web.listen-address=127.0.0.1:{port}", .. enableAdminApi ? ["--web.enable-admin-api"] : Array.Empty<string>(),
        ],
        "-/ready",
        (port, directory) => File.WriteAllText(Path.Combine(directory, "prometheus.yml"), config.Replace("{port}", port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)));

    public async Task InitializeAsync()
    {
        _server = await StartAsync("""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: prometheus
                static_configs:
                  - targets: ['127.0.0.1:{port}']
            """, enableAdminApi: _enableAdminApi);
        Client = new PrometheusClient(Http, Url, TimeProvider.System);
    }

    /// <summary>Waits until <c>up</c> has at least <paramref name="samples"/> samples (scrapes every second).</summary>
    public async Task WaitForScrapesAsync(int samples = 3)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        while (DateTimeOffset.UtcNow < deadline)
        {
            var now = DateTimeOffset.UtcNow;
            var series = await Client.QueryRangeAsync("up", now.AddMinutes(-5), now, TimeSpan.FromSeconds(1), CancellationToken.None);
            if (series.Count > 0 && series[0].Samples.Count >= samples)
            {
                return;
            }

            await Task.Delay(250);
        }

        throw new TimeoutException("prometheus did not scrape itself within 60s");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();
}

/// <summary>The test classes that share one <see cref="PrometheusServerFixture"/> (each snapshot they take is deleted again).</summary>
[CollectionDefinition(Name)]
public sealed class PrometheusCollection : ICollectionFixture<PrometheusServerFixture>
{
    public const string Name = "prometheus";
}
