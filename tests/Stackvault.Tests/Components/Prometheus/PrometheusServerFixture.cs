using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Stackvault.Components.Prometheus;
using Stackvault.Errors;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Components.Prometheus;

/// <summary>
/// A real /usr/bin/prometheus on 127.0.0.1 and a free port, with a temporary data directory, scraping itself every
/// second, with the admin API enabled (see <see cref="PrometheusWithoutAdminApiFixture"/> for the other variant).
/// Killed and removed at the end.
/// </summary>
public class PrometheusServerFixture : IAsyncLifetime
{
    public const string Binary = "/usr/bin/prometheus";
    private readonly bool _enableAdminApi;
    private readonly ConcurrentQueue<string> _log = new();
    private Process? _process;

    public PrometheusServerFixture()
        : this(enableAdminApi: true)
    {
    }

    protected PrometheusServerFixture(bool enableAdminApi) => _enableAdminApi = enableAdminApi;

    public TempDirectory Root { get; } = new("sv-prom");

    public string DataDirectory => Root.Sub("data");

    public Uri Url { get; private set; } = null!;

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public PrometheusClient Client { get; private set; } = null!;

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async Task InitializeAsync()
    {
        // The port is free when chosen but may be taken before Prometheus binds it: try a few.
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort();
            await File.WriteAllTextAsync(Root.Sub("prometheus.yml"), $"""
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: prometheus
                    static_configs:
                      - targets: ['127.0.0.1:{port}']
                """);
            Url = new Uri($"http://127.0.0.1:{port}/");
            Client = new PrometheusClient(Http, Url, TimeProvider.System);
            _process = Start(port);
            if (await WaitReadyAsync(TimeSpan.FromSeconds(30)))
            {
                return;
            }

            await StopAsync();
            if (attempt == 3)
            {
                throw new InvalidOperationException($"prometheus did not become ready:\n{string.Join('\n', _log.TakeLast(20))}");
            }
        }
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

    public async Task DisposeAsync()
    {
        await StopAsync();
        Http.Dispose();
        Root.Dispose();
    }

    private Process Start(int port)
    {
        var info = new ProcessStartInfo(Binary)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add($"--config.file={Root.Sub("prometheus.yml")}");
        info.ArgumentList.Add($"--storage.tsdb.path={DataDirectory}");
        info.ArgumentList.Add($"--web.listen-address=127.0.0.1:{port}");
        if (_enableAdminApi)
        {
            info.ArgumentList.Add("--web.enable-admin-api");
        }

        var process = new Process { StartInfo = info };
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return process;
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            _log.Enqueue(line);
            while (_log.Count > 200 && _log.TryDequeue(out _))
            {
            }
        }
    }

    private async Task<bool> WaitReadyAsync(TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (DateTimeOffset.UtcNow < deadline && !_process!.HasExited)
        {
            try
            {
                if (await Client.ReadyAsync(CancellationToken.None))
                {
                    return true;
                }
            }
            catch (StackvaultException)
            {
            }

            await Task.Delay(100);
        }

        return false;
    }

    private async Task StopAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
            process.Dispose();
        }
    }
}
