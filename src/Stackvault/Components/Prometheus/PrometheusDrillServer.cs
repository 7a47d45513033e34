using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Stackvault.Components.Prometheus;
using Stackvault.Errors;

namespace Stackvault.Drill;

/// <summary>
/// A real Prometheus started on a restored data directory: 127.0.0.1 on a free port, no scrape targets (nothing new is
/// written), retention long enough that old restored blocks are not deleted on start. Killed on dispose.
/// </summary>
internal sealed class PrometheusDrillServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _log = new();
    private readonly Process _process;

    private PrometheusDrillServer(Process process, Uri url, HttpClient http, TimeProvider time)
    {
        _process = process;
        Url = url;
        Http = http;
        Client = new PrometheusClient(http, url, time);
    }

    public Uri Url { get; }

    public HttpClient Http { get; }

    public PrometheusClient Client { get; }

    /// <summary>Starts Prometheus on <paramref name="dataDirectory"/> and waits until it is ready (or fails, naming its last log line).</summary>
    public static async Task<PrometheusDrillServer> StartAsync(string binary, string dataDirectory, string workDirectory, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var configFile = Path.Combine(workDirectory, "prometheus-drill.yml");
        await File.WriteAllTextAsync(configFile, "global:\n  scrape_interval: 1h\n", cancellationToken).ConfigureAwait(false);
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort();
            var info = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            info.ArgumentList.Add($"--config.file={configFile}");
            info.ArgumentList.Add($"--storage.tsdb.path={dataDirectory}");
            info.ArgumentList.Add($"--web.listen-address=127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
            info.ArgumentList.Add("--storage.tsdb.retention.time=36500d");
            Process process;
            try
            {
                process = Process.Start(info) ?? throw new StackvaultException($"{binary} could not start");
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                throw new StackvaultException($"{binary} could not start: {e.Message} (is Prometheus installed and on PATH?)", inner: e);
            }

            var server = new PrometheusDrillServer(process, new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/"), new HttpClient { Timeout = TimeSpan.FromMinutes(5) }, time);
            process.OutputDataReceived += (_, e) => server.Keep(e.Data);
            process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            try
            {
                if (await server.WaitReadyAsync(timeout, time, cancellationToken).ConfigureAwait(false))
                {
                    return server;
                }
            }
            catch
            {
                await server.DisposeAsync().ConfigureAwait(false);
                throw;
            }

            var lastLine = server.LastLine();
            await server.DisposeAsync().ConfigureAwait(false);
            if (attempt == 3 || !lastLine.Contains("address already in use", StringComparison.Ordinal))
            {
                throw new StackvaultException($"Prometheus on the restored data did not become ready within {timeout.TotalSeconds:0}s: {lastLine}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        _process.Dispose();
        Http.Dispose();
    }

    private async Task<bool> WaitReadyAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        while (time.GetElapsedTime(started) < timeout && !_process.HasExited)
        {
            try
            {
                if (await Client.ReadyAsync(cancellationToken).ConfigureAwait(false))
                {
                    return true;
                }
            }
            catch (StackvaultException)
            {
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), time, cancellationToken).ConfigureAwait(false);
        }

        return false;
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            _log.Enqueue(line);
            while (_log.Count > 100 && _log.TryDequeue(out _))
            {
            }
        }
    }

    private string LastLine() =>
        _log.LastOrDefault(l => l.Contains("level=error", StringComparison.OrdinalIgnoreCase) || l.Contains("err=", StringComparison.Ordinal))
        ?? _log.LastOrDefault() ?? "(no output)";

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
