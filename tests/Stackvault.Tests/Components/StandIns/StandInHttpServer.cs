using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Stackvault.Tests.Components.StandIns;

/// <summary>
/// A minimal HTTP/1.1 server on 127.0.0.1 (a free port chosen by the OS) for stand-ins of engines that cannot run in
/// the tests (Loki, Tempo). One request per connection; the routes answer (status, body). Every request is recorded,
/// in arrival order, as "METHOD /path".
/// </summary>
public sealed class StandInHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<string, string, (int Status, string Body)> _route;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public StandInHttpServer(Func<string, string, (int Status, string Body)> route)
    {
        _route = route;
        _listener.Start();
        _loop = Task.Run(AcceptLoopAsync);
    }

    public Uri Url => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    public ConcurrentQueue<string> Requests { get; } = new();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var head = await ReadHeadAsync(stream);
                var lines = head.Split("\r\n");
                var parts = lines[0].Split(' ');
                var (method, path) = (parts[0], parts.Length > 1 ? parts[1] : "/");
                var length = lines.Skip(1).Select(l => l.Split(':', 2)).Where(kv => kv.Length == 2 && kv[0].Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                    .Select(kv => int.Parse(kv[1].Trim(), System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault();
                var body = new byte[length];
                await stream.ReadExactlyAsync(body);
                Requests.Enqueue($"{method} {path}");
                var (status, text) = _route(method, path);
                var payload = Encoding.UTF8.GetBytes(text);
                var reason = status switch { 200 => "OK", 204 => "No Content", 404 => "Not Found", _ => "Status" };
                var header = $"HTTP/1.1 {status} {reason}\r\nContent-Type: {(text.StartsWith('{') ? "application/json" : "text/plain")}\r\nContent-Length: {(status == 204 ? 0 : payload.Length)}\r\nConnection: close\r\n\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(header));
                if (status != 204)
                {
                    await stream.WriteAsync(payload);
                }
            }
            catch (Exception e) when (e is IOException or SocketException or FormatException)
            {
            }
        }
    }

    private static async Task<string> ReadHeadAsync(NetworkStream stream)
    {
        var head = new List<byte>();
        var one = new byte[1];
        while (head.Count < 65536)
        {
            if (await stream.ReadAsync(one) == 0)
            {
                break;
            }

            head.Add(one[0]);
            if (head.Count >= 4 && head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n')
            {
                break;
            }
        }

        return Encoding.ASCII.GetString([.. head]).TrimEnd();
    }
}
