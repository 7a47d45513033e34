using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Stackvault.Tests.Support;

/// <summary>
/// An HTTP proxy on 127.0.0.1 in front of s3rver that answers chosen requests (by default the first <c>failures</c>) itself with an S3
/// error (e.g. 503 SlowDown, 500 InternalError, 403 AccessDenied) and forwards the rest unchanged, keeping the Host
/// header so SigV4 signatures still match. Counts every request it sees.
/// </summary>
public sealed class FaultingS3Proxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase) { "Connection", "Keep-Alive", "Transfer-Encoding", "Expect", "Host", "Content-Length" };

    private readonly HttpListener _listener = new();
    private readonly HttpClient _client = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false }) { Timeout = TimeSpan.FromMinutes(2) };
    private readonly Uri _target;
    private readonly Func<HttpListenerRequest, int, Fault?> _faults;
    private readonly Task _loop;
    private int _requests;
    private int _badDigests;

    public FaultingS3Proxy(Uri target, int failures, int status, string code)
        : this(target, (_, number) => number <= failures ? new Fault(status, code) : null)
    {
    }

    public FaultingS3Proxy(Uri target, Func<HttpListenerRequest, int, bool> fails, int status, string code)
        : this(target, (request, number) => fails(request, number) ? new Fault(status, code) : null)
    {
    }

    /// <summary>Answers a request with the fault <paramref name="faults"/> (request, 1-based number) returns, if any.</summary>
    public FaultingS3Proxy(Uri target, Func<HttpListenerRequest, int, Fault?> faults)
    {
        (_target, _faults) = (target, faults);
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public Uri Endpoint => new($"http://127.0.0.1:{Port}");

    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Awaited after the server answered a forwarded request and before that answer goes back to the client (the body has been read in full).</summary>
    public Func<HttpListenerRequest, Task>? BeforeAnswer { get; init; }

    /// <summary>
    /// Checks a request's Content-MD5 against the body that arrived and answers a mismatch with 400 BadDigest, as AWS S3
    /// documents (s3rver does not check it): a stand-in for that one check, in front of the real server.
    /// </summary>
    public bool ChecksContentMd5 { get; init; }

    /// <summary>Changes a request's body (request, 1-based number, body) before it is checked and forwarded: damage on the way.</summary>
    public Func<HttpListenerRequest, int, byte[], byte[]>? Damage { get; init; }

    /// <summary>The Content-MD5 header of every request that had one, in arrival order.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> ContentMd5s { get; } = new();

    /// <summary>Requests answered 400 BadDigest by <see cref="ChecksContentMd5"/>.</summary>
    public int BadDigests => Volatile.Read(ref _badDigests);

    /// <summary>Method and path-and-query of every request seen, in arrival order.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Log { get; } = new();

    public async ValueTask DisposeAsync()
    {
        _listener.Close(); // once: Stop and then Close would unbind twice (see CuttingS3ProxyStandIn)
        await _loop.ContinueWith(_ => { }, TaskScheduler.Default);
        _client.Dispose();
    }

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

            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var number = Interlocked.Increment(ref _requests);
        try
        {
            Log.Enqueue($"{context.Request.HttpMethod} {context.Request.RawUrl}");
            if (_faults(context.Request, number) is { } fault)
            {
                if (fault.ForwardFirst)
                {
                    await ForwardAsync(context, respond: false); // the server acts, the client never hears of it
                }
                else
                {
                    await context.Request.InputStream.CopyToAsync(Stream.Null); // drain the body
                }

                await AnswerErrorAsync(context, fault);
                return;
            }

            byte[]? body = null;
            if (context.Request.Headers["Content-MD5"] is { } contentMd5)
            {
                ContentMd5s.Enqueue(contentMd5);
                using var buffer = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(buffer);
                body = Damage is { } damage ? damage(context.Request, number, buffer.ToArray()) : buffer.ToArray();
                if (ChecksContentMd5 && Convert.ToBase64String(System.Security.Cryptography.MD5.HashData(body)) != contentMd5)
                {
                    Interlocked.Increment(ref _badDigests);
                    await AnswerErrorAsync(context, new Fault(400, "BadDigest"));
                    return;
                }
            }

            await ForwardAsync(context, respond: true, body);
        }
        finally
        {
            context.Response.Close();
        }
    }

    private static async Task AnswerErrorAsync(HttpListenerContext context, Fault fault)
    {
        var body = Encoding.UTF8.GetBytes($"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{fault.Code}</Code><Message>injected {fault.Code}</Message></Error>");
        context.Response.StatusCode = fault.Status;
        context.Response.ContentType = "application/xml";
        if (context.Request.HttpMethod != "HEAD")
        {
            await context.Response.OutputStream.WriteAsync(body);
        }
    }

    private async Task ForwardAsync(HttpListenerContext context, bool respond, byte[]? body = null)
    {
        var incoming = context.Request;
        using var request = new HttpRequestMessage(new HttpMethod(incoming.HttpMethod), new Uri(_target, incoming.RawUrl));
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
        }
        else if (incoming.HasEntityBody || incoming.ContentLength64 > 0)
        {
            using var buffer = new MemoryStream();
            await incoming.InputStream.CopyToAsync(buffer);
            request.Content = new ByteArrayContent(buffer.ToArray());
        }

        foreach (var name in incoming.Headers.AllKeys.OfType<string>().Where(n => !HopByHop.Contains(n)))
        {
            var value = incoming.Headers[name]!;
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content ??= new ByteArrayContent([]);
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        request.Headers.Host = incoming.Headers["Host"]; // signed by the client
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (!respond)
        {
            return;
        }

        if (BeforeAnswer is { } hold)
        {
            await hold(incoming);
        }

        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (!HopByHop.Contains(name))
            {
                context.Response.Headers[name] = string.Join(",", values);
            }
        }

        if (response.Content.Headers.ContentLength is { } length)
        {
            context.Response.ContentLength64 = length;
        }

        await response.Content.CopyToAsync(context.Response.OutputStream);
    }
}

/// <summary>An injected S3 error; with <see cref="ForwardFirst"/> the request reaches the server and only its answer is replaced.</summary>
public sealed record Fault(int Status, string Code, bool ForwardFirst = false);
