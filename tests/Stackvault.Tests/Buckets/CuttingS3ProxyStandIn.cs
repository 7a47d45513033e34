using System.Net;
using System.Net.Sockets;

namespace Stackvault.Tests.Buckets;

/// <summary>
/// An HTTP proxy in front of s3rver that breaks chosen object downloads mid-body: it sends the status, the headers
/// (with the full Content-Length) and half the body, then aborts the connection, as a reset or a dying load balancer
/// would (<see cref="CutMode.Reset"/>), or then sends nothing more while keeping the connection open until the proxy
/// is disposed (<see cref="CutMode.Stall"/>), or sends the whole body with one byte flipped (<see cref="CutMode.Corrupt"/>).
/// Everything else is forwarded unchanged (Host kept, so signatures hold).
/// </summary>
internal sealed class CuttingS3ProxyStandIn : IAsyncDisposable
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase) { "Connection", "Keep-Alive", "Transfer-Encoding", "Expect", "Host", "Content-Length" };

    private HttpListener _listener = new();
    private readonly HttpClient _client = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false });
    private readonly Uri _target;
    private readonly Func<HttpListenerRequest, bool> _cut;
    private readonly Task _loop;
    private readonly CutMode _mode;
    private readonly Func<HttpListenerRequest, Task>? _hold;
    private readonly CancellationTokenSource _stop = new();
    private int _cuts;

    /// <param name="hold">Awaited before a request is forwarded (a test holding requests to observe overlap awaits a
    /// delay here rather than blocking a pool thread: on 2 busy cores a blocked thread serialises the requests).</param>
    public CuttingS3ProxyStandIn(Uri target, Func<HttpListenerRequest, bool> cut, CutMode mode = CutMode.Reset, Func<HttpListenerRequest, Task>? hold = null)
    {
        (_target, _cut, _mode, _hold) = (target, cut, mode, hold);
        // A free port can be taken by another process between the probe and the listener (parallel test runs): retry.
        for (var attempt = 0; ; attempt++)
        {
            using (var probe = new TcpListener(IPAddress.Loopback, 0))
            {
                probe.Start();
                Port = ((IPEndPoint)probe.LocalEndpoint).Port;
            }

            try
            {
                _listener.Prefixes.Clear();
                _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
                _listener.Start();
                break;
            }
            catch (HttpListenerException) when (attempt < 10)
            {
                _listener.Close();
                _listener = new HttpListener();
            }
        }

        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public Uri Endpoint => new($"http://127.0.0.1:{Port}");

    /// <summary>
    /// Rewrites the ETag header of a response (the request and the server's ETag in, the ETag to send out): lets
    /// s3rver, whose ETags are always the content's MD5, stand in for a server whose ETag is not (AWS and MinIO give a
    /// multipart upload an "md5-of-part-md5s-N" ETag).
    /// </summary>
    public Func<HttpListenerRequest, string, string>? ResponseEtag { get; init; }

    /// <summary>
    /// Answers a GET whose If-Match names another ETag than the object's (after <see cref="ResponseEtag"/>) with 412
    /// PreconditionFailed, as S3 and MinIO do (s3rver ignores If-Match).
    /// </summary>
    public bool ChecksIfMatch { get; init; }

    /// <summary>
    /// Headers added to a response (the request in): lets a test give answers the checksums S3 stores with an object
    /// and sends back when a GET asks with <c>x-amz-checksum-mode: ENABLED</c> (s3rver stores and sends none).
    /// </summary>
    public Func<HttpListenerRequest, IEnumerable<KeyValuePair<string, string>>>? ResponseHeaders { get; init; }

    /// <summary>How many downloads were cut.</summary>
    public int Cuts => Volatile.Read(ref _cuts);

    public enum CutMode
    {
        Reset,
        Stall,
        Corrupt,
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        // Close once, not Stop and then Close: the managed HttpListener's Stop already unbinds the port, and a Close
        // after it looks the endpoint up again, binding the port anew, which fails ("Address already in use") when
        // another test has taken that port meanwhile (it failed a CI run so).
        _listener.Close();
        await _loop.ContinueWith(_ => { }, TaskScheduler.Default);
        _client.Dispose();
        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            try
            {
                var context = await _listener.GetContextAsync();
                _ = Task.Run(() => HandleAsync(context));
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var incoming = context.Request;
        if (_hold is not null)
        {
            await _hold(incoming);
        }

        using var request = new HttpRequestMessage(new HttpMethod(incoming.HttpMethod), new Uri(_target, incoming.RawUrl));
        if (incoming.HasEntityBody)
        {
            using var buffer = new MemoryStream();
            await incoming.InputStream.CopyToAsync(buffer);
            request.Content = new ByteArrayContent(buffer.ToArray());
        }

        foreach (var name in incoming.Headers.AllKeys.OfType<string>().Where(n => !HopByHop.Contains(n)))
        {
            if (!request.Headers.TryAddWithoutValidation(name, incoming.Headers[name]!))
            {
                request.Content ??= new ByteArrayContent([]);
                request.Content.Headers.TryAddWithoutValidation(name, incoming.Headers[name]!);
            }
        }

        request.Headers.Host = incoming.Headers["Host"];
        using var response = await _client.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();
        if (ChecksIfMatch && incoming.HttpMethod == "GET" && incoming.Headers["If-Match"] is { } wanted && response.Headers.ETag?.ToString() is { } current
            && wanted != (ResponseEtag?.Invoke(incoming, current) ?? current))
        {
            context.Response.StatusCode = 412;
            await context.Response.OutputStream.WriteAsync("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message><Condition>If-Match</Condition></Error>"u8.ToArray());
            context.Response.Close();
            return;
        }

        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers).Where(h => !HopByHop.Contains(h.Key)))
        {
            var value = string.Join(",", values);
            context.Response.Headers[name] = ResponseEtag is not null && name.Equals("ETag", StringComparison.OrdinalIgnoreCase) ? ResponseEtag(incoming, value) : value;
        }

        foreach (var (name, value) in ResponseHeaders?.Invoke(incoming) ?? [])
        {
            context.Response.Headers[name] = value;
        }

        context.Response.ContentLength64 = body.Length;
        if (incoming.HttpMethod == "GET" && body.Length > 1 && response.IsSuccessStatusCode && _cut(incoming))
        {
            Interlocked.Increment(ref _cuts);
            if (_mode == CutMode.Corrupt)
            {
                body[body.Length / 2] ^= 0x5A;
                await context.Response.OutputStream.WriteAsync(body);
                context.Response.Close();
                return;
            }

            await context.Response.OutputStream.WriteAsync(body.AsMemory(0, body.Length / 2));
            await context.Response.OutputStream.FlushAsync();
            if (_mode == CutMode.Stall)
            {
                await Task.Delay(Timeout.Infinite, _stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            }

            context.Response.Abort();
            return;
        }

        if (incoming.HttpMethod != "HEAD")
        {
            await context.Response.OutputStream.WriteAsync(body);
        }

        context.Response.Close();
    }
}
