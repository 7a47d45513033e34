using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Stackvault.Tests.Support;

/// <summary>
/// A real server program (Alertmanager, Pushgateway, node_exporter, Prometheus from Debian's packages; s3rver and
/// Azurite under node) started by a test or a fixture on 127.0.0.1 and a free port, with its own temporary directory;
/// ready when a GET of <c>readyPath</c> answers 200 (or, without a path, when the port accepts a TCP connection).
/// Killed and its directory removed on dispose. A port taken between choosing and binding is retried.
/// </summary>
public sealed class LocalServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _log = new();
    private Process? _process;

    private LocalServer(string binary) => Binary = binary;

    public string Binary { get; }

    public TempDirectory Root { get; } = new("sv-server");

    public int Port { get; private set; }

    public Uri Url => new($"http://127.0.0.1:{Port}/");

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>The last lines the server wrote, for assertion messages.</summary>
    public string Log => string.Join('\n', _log);

    /// <param name="binary">The program, e.g. /usr/bin/prometheus-alertmanager, or a name on the PATH (node).</param>
    /// <param name="arguments">Its arguments for a port and its directory.</param>
    /// <param name="readyPath">The path that answers 200 once it serves; null: the port accepts connections.</param>
    /// <param name="prepare">Writes files into the directory before the start (a config naming the port).</param>
    public static async Task<LocalServer> StartAsync(string binary, Func<int, string, IEnumerable<string>> arguments, string? readyPath, Action<int, string>? prepare = null)
    {
        Assert.True(!Path.IsPathRooted(binary) || File.Exists(binary), $"{binary} is missing: run scripts/setup.sh");
        var server = new LocalServer(binary);
        for (var attempt = 1; ; attempt++)
        {
            server.Port = FreePort();
            prepare?.Invoke(server.Port, server.Root.Path);
            server.Start(arguments(server.Port, server.Root.Path));
            if (await server.WaitReadyAsync(readyPath, TimeSpan.FromSeconds(60)))
            {
                return server;
            }

            await server.StopAsync();
            if (attempt == 3)
            {
                var log = server.Log;
                await server.DisposeAsync();
                throw new InvalidOperationException($"{binary} did not become ready:\n{log}");
            }
        }
    }

    /// <summary>A port nothing listens on now (for a server started later, or for "cannot reach" tests).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public Task<string> GetStringAsync(string pathAndQuery) => Http.GetStringAsync(new Uri(Url, pathAndQuery));

    /// <summary>Polls <paramref name="probe"/> every 200 ms until it gives a value, for at most a minute.</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe, string what)
        where T : class
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (await probe() is { } value)
            {
                return value;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"not within a minute: {what}");
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Http.Dispose();
        Root.Dispose();
    }

    private void Start(IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(Binary) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = info };
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        _process = process;
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            _log.Enqueue(line);
            while (_log.Count > 50 && _log.TryDequeue(out _))
            {
            }
        }
    }

    private async Task<bool> WaitReadyAsync(string? readyPath, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout && _process is { HasExited: false })
        {
            if (readyPath is null)
            {
                try
                {
                    using var client = new TcpClient();
                    await client.ConnectAsync(IPAddress.Loopback, Port);
                    return true;
                }
                catch (SocketException)
                {
                    await Task.Delay(100);
                    continue;
                }
            }

            try
            {
                using var response = await Http.GetAsync(new Uri(Url, readyPath));
                if (response.IsSuccessStatusCode)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
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
