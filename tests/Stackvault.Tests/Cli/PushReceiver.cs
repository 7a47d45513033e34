using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Stackvault.Tests.Cli;

/// <summary>A local HTTP receiver on 127.0.0.1 (a free port) that records every request and answers a fixed status.</summary>
internal sealed class PushReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly HttpStatusCode _status;
    private Task _loop = Task.CompletedTask;

    private PushReceiver(HttpStatusCode status, int port)
    {
        _status = status;
        Url = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(Url + "/");
    }

    public sealed record Request(string Method, string Path, string? ContentType, string Body);

    public string Url { get; }

    public ConcurrentQueue<Request> Requests { get; } = new();

    public static PushReceiver Start(HttpStatusCode status)
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var receiver = new PushReceiver(status, port);
        receiver._listener.Start();
        receiver._loop = receiver.ServeAsync();
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Close(); // once: Stop and then Close would unbind twice (see CuttingS3ProxyStandIn)
        await _loop;
    }

    private async Task ServeAsync()
    {
        while (true)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream);
            Requests.Enqueue(new Request(context.Request.HttpMethod, context.Request.Url!.AbsolutePath, context.Request.ContentType, await reader.ReadToEndAsync()));
            context.Response.StatusCode = (int)_status;
            context.Response.Close();
        }
    }
}
