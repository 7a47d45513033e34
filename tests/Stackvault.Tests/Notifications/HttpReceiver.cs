using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Notifications;

/// <summary>
/// A local webhook receiver (HttpListener on 127.0.0.1, a free port) that records every request and answers with the
/// queued status codes (then 200), or with what its responder says for each request.
/// </summary>
public sealed class HttpReceiver : IDisposable
{
    private HttpListener _listener = new();
    private readonly ConcurrentQueue<int> _statuses = new();
    private readonly Func<ReceivedRequest, int> _respond;
    private readonly Task _loop;

    public HttpReceiver(params int[] statuses)
        : this(respond: null)
    {
        foreach (var status in statuses)
        {
            _statuses.Enqueue(status);
        }
    }

    /// <param name="respond">Called with each request once it is recorded; returns the status to answer (no body for 204).</param>
    public HttpReceiver(Func<ReceivedRequest, int>? respond)
    {
        _respond = respond ?? (_ => _statuses.TryDequeue(out var status) ? status : 200);
        for (var attempt = 0; ; attempt++)
        {
            Port = FreePort();
            _listener.Prefixes.Clear();
            _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
            try
            {
                _listener.Start();
                break;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                // A listener whose Start failed keeps its prefix registered, and closing it later binds that port
                // again ("Address already in use" from Dispose): start over with a fresh one.
                try
                {
                    ((IDisposable)_listener).Dispose();
                }
                catch (HttpListenerException)
                {
                }

                _listener = new HttpListener();
            }
        }

        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public ConcurrentQueue<ReceivedRequest> Requests { get; } = new();

    public ReceivedRequest Single() => Assert.Single(Requests);

    public static int FreePort() => LocalServer.FreePort();

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
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

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var request = new ReceivedRequest(
                context.Request.HttpMethod, context.Request.Url!.AbsolutePath, context.Request.ContentType, context.Request.Headers["Authorization"], body, context.Request.Url.Query);
            Requests.Enqueue(request);
            context.Response.StatusCode = _respond(request);
            if (context.Response.StatusCode != 204)
            {
                await context.Response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes(context.Response.StatusCode == 200 ? "ok" : "server trouble"));
            }

            context.Response.Close();
        }
    }

    public void Dispose()
    {
        try
        {
            _listener.Close(); // once: Stop and then Close would unbind twice (see CuttingS3ProxyStandIn)
        }
        catch (HttpListenerException)
        {
            // managed HttpListener on Linux: closing can fail when its port was taken over meanwhile; nothing to free
        }

        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}
