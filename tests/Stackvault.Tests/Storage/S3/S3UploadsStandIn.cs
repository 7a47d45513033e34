using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Stackvault.Tests.Storage.S3;

/// <summary>
/// A stand-in for the two S3 calls s3rver does not implement for multipart-upload housekeeping: ListMultipartUploads
/// (<c>GET /bucket?uploads</c>, answered as documented, two uploads per page with IsTruncated and the Next markers)
/// and AbortMultipartUpload (<c>DELETE /bucket/key?uploadId=</c>, 204), recording every abort.
/// </summary>
internal sealed class S3UploadsStandIn : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private readonly IReadOnlyList<(string Key, string UploadId, DateTimeOffset Initiated)> _uploads;

    public S3UploadsStandIn(IReadOnlyList<(string Key, string UploadId, DateTimeOffset Initiated)> uploads)
    {
        _uploads = uploads;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Endpoint = new Uri($"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}");
        }

        _listener.Prefixes.Add(Endpoint.ToString());
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public Uri Endpoint { get; }

    public System.Collections.Concurrent.ConcurrentQueue<string> Aborted { get; } = new();

    public System.Collections.Concurrent.ConcurrentQueue<string> ListQueries { get; } = new();

    public async ValueTask DisposeAsync()
    {
        _listener.Close(); // once: Stop and then Close would unbind twice (see CuttingS3ProxyStandIn)
        await _loop.ContinueWith(_ => { }, TaskScheduler.Default);
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

            var request = context.Request;
            if (request.HttpMethod == "GET" && request.QueryString.AllKeys.Contains(null) && request.Url!.Query.Contains("uploads", StringComparison.Ordinal))
            {
                ListQueries.Enqueue(request.Url.Query);
                await WriteListAsync(context.Response, request.QueryString["prefix"] ?? string.Empty, request.QueryString["key-marker"]);
            }
            else if (request.HttpMethod == "DELETE" && request.QueryString["uploadId"] is { } uploadId)
            {
                Aborted.Enqueue($"{request.Url!.AbsolutePath.TrimStart('/')}#{uploadId}");
                context.Response.StatusCode = 204;
            }
            else
            {
                context.Response.StatusCode = 501;
            }

            context.Response.Close();
        }
    }

    private async Task WriteListAsync(HttpListenerResponse response, string prefix, string? keyMarker)
    {
        var matching = _uploads.Where(u => u.Key.StartsWith(prefix, StringComparison.Ordinal)).OrderBy(u => u.Key, StringComparer.Ordinal).ToList();
        var start = keyMarker is null ? 0 : matching.FindIndex(u => string.CompareOrdinal(u.Key, keyMarker) > 0);
        var page = start < 0 ? [] : matching.Skip(start).Take(2).ToList();
        var truncated = start >= 0 && start + page.Count < matching.Count;
        var xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListMultipartUploadsResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Bucket>b</Bucket>");
        xml.Append(CultureInfo.InvariantCulture, $"<MaxUploads>2</MaxUploads><IsTruncated>{(truncated ? "true" : "false")}</IsTruncated>");
        if (truncated)
        {
            xml.Append(CultureInfo.InvariantCulture, $"<NextKeyMarker>{page[^1].Key}</NextKeyMarker><NextUploadIdMarker>{page[^1].UploadId}</NextUploadIdMarker>");
        }

        foreach (var (key, id, initiated) in page)
        {
            xml.Append(CultureInfo.InvariantCulture, $"<Upload><Key>{key}</Key><UploadId>{id}</UploadId><Initiated>{initiated.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ}</Initiated><StorageClass>STANDARD</StorageClass></Upload>");
        }

        xml.Append("</ListMultipartUploadsResult>");
        var body = Encoding.UTF8.GetBytes(xml.ToString());
        response.ContentType = "application/xml";
        response.ContentLength64 = body.Length;
        await response.OutputStream.WriteAsync(body);
    }
}
