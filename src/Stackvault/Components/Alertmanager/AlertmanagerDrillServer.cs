using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Stackvault.Errors;

namespace Stackvault.Components.Alertmanager;

/// <summary>
/// A real Alertmanager on a restored <c>--storage.path</c>: 127.0.0.1 on a free port, clustering off
/// (<c>--cluster.listen-address=</c>), a minimal config with one receiver that sends nothing; killed on dispose.
/// </summary>
internal sealed class AlertmanagerDrillServer : IAsyncDisposable
{
    /// <summary>Where the binary is looked for: $STACKVAULT_ALERTMANAGER, Debian's, then <c>alertmanager</c> on PATH.</summary>
    public const string BinaryVariable = "STACKVAULT_ALERTMANAGER";
    public const string DebianBinary = "/usr/bin/prometheus-alertmanager";

    private readonly ConcurrentQueue<string> _log = new();
    private readonly Process _process;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private AlertmanagerDrillServer(Process process, Uri url)
    {
        _process = process;
        Api = new AlertmanagerApi(_http, url);
    }

    public AlertmanagerApi Api { get; }

    public static string Binary() => Environment.GetEnvironmentVariable(BinaryVariable) is { Length: > 0 } set ? set
        : File.Exists(DebianBinary) ? DebianBinary : "alertmanager";

    public static async Task<AlertmanagerDrillServer> StartAsync(string binary, string storage, string workDirectory, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var configFile = Path.Combine(workDirectory, "alertmanager-drill.yml");
        await File.WriteAllTextAsync(configFile, "route:\n  receiver: drill\nreceivers:\n  - name: drill\n", cancellationToken).ConfigureAwait(false);
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort();
            var info = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            info.ArgumentList.Add($"--config.file={configFile}");
            info.ArgumentList.Add($"--storage.path={storage}");
            info.ArgumentList.Add($"--web.listen-address=127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
            info.ArgumentList.Add("--cluster.listen-address=");
            Process process;
            try
            {
                process = Process.Start(info) ?? throw new StackvaultException($"{binary} could not start");
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                throw new StackvaultException($"{binary} could not start: {e.Message} (is prometheus-alertmanager installed? set ${BinaryVariable})", inner: e);
            }

            var server = new AlertmanagerDrillServer(process, new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/"));
            process.OutputDataReceived += (_, e) => server.Keep(e.Data);
            process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            if (await server.WaitReadyAsync(timeout, time, cancellationToken).ConfigureAwait(false))
            {
                return server;
            }

            var last = server._log.LastOrDefault() ?? "(no output)";
            await server.DisposeAsync().ConfigureAwait(false);
            if (attempt == 3 || !last.Contains("address already in use", StringComparison.Ordinal))
            {
                throw new StackvaultException($"Alertmanager on the restored data did not become ready: {last}");
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
        _http.Dispose();
    }

    private async Task<bool> WaitReadyAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        while (time.GetElapsedTime(started) < timeout && !_process.HasExited)
        {
            try
            {
                using var response = await _http.GetAsync(new Uri(Api.BaseUri, "-/ready"), cancellationToken).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), time, cancellationToken).ConfigureAwait(false);
        }

        return false;
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _log.Enqueue(line);
        while (_log.Count > 100 && _log.TryDequeue(out _))
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
