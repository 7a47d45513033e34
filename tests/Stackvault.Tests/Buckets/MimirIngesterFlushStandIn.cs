using System.Collections.Concurrent;
using System.Net;
using Stackvault.Tests.Notifications;

namespace Stackvault.Tests.Buckets;

/// <summary>
/// A Mimir ingester stand-in (HttpListener on 127.0.0.1, a free port) serving <c>/ingester/flush</c>: it records
/// each request (method, path, query) and, like ingesters cutting their head block, runs <c>onFlush</c> (which writes
/// a new block into the test's bucket) before answering with <c>status</c>. A block that only the flush writes is in
/// a backup only if the flush ran before the bucket was listed.
/// </summary>
internal sealed class MimirIngesterFlushStandIn : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private readonly Action _onFlush;
    private readonly int _status;

    public MimirIngesterFlushStandIn(Action onFlush, int status = 204)
    {
        _onFlush = onFlush;
        _status = status;
        for (var attempt = 0; ; attempt++)
        {
            Port = HttpReceiver.FreePort();
            _listener.Prefixes.Clear();
            _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
            try
            {
                _listener.Start();
                break;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
            }
        }

        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public string FlushUrl => $"http://127.0.0.1:{Port}/ingester/flush";

    public ConcurrentQueue<(string Method, string Path, string Query)> Requests { get; } = new();

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

            Requests.Enqueue((context.Request.HttpMethod, context.Request.Url!.AbsolutePath, context.Request.Url.Query));
            if (context.Request.Url.AbsolutePath == "/ingester/flush")
            {
                _onFlush();
                context.Response.StatusCode = _status;
            }
            else
            {
                context.Response.StatusCode = 404;
            }

            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}
