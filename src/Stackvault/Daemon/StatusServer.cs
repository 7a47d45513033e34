using System.Net;
using System.Text;
using Stackvault.Errors;
using Stackvault.Telemetry;

namespace Stackvault.Daemon;

/// <summary>
/// The daemon's HTTP endpoints: <c>/metrics</c> (Prometheus text format, built from status.json on every scrape),
/// <c>/healthz</c> and <c>/status</c> (the JSON of <c>stackvault status --json</c>). GET and HEAD only.
/// </summary>
public sealed class StatusServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly DaemonOptions _options;
    private readonly string _version;
    private Task? _loop;

    public StatusServer(ListenAddress address, DaemonOptions options, string version)
    {
        ArgumentNullException.ThrowIfNull(address);
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _version = version;
        Address = address;
        _listener.Prefixes.Add(address.Prefix);
    }

    public ListenAddress Address { get; }

    public void Start()
    {
        try
        {
            _listener.Start();
        }
        catch (HttpListenerException e)
        {
            throw new StackvaultException($"cannot listen on {Address}: {e.Message}", e);
        }

        _loop = Task.Run(ServeAsync);
        _options.Log.Info("serving /metrics, /healthz, /status", ("listen", Address.ToString()));
    }

    public async ValueTask DisposeAsync()
    {
        if (_listener.IsListening)
        {
            _listener.Stop();
        }

        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        _listener.Close();
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return; // stopped
            }

            _ = Task.Run(() => Respond(context));
        }
    }

    private void Respond(HttpListenerContext context)
    {
        var response = context.Response;
        try
        {
            var (status, type, body) = context.Request.HttpMethod is "GET" or "HEAD"
                ? Route(context.Request.Url?.AbsolutePath ?? "/")
                : (405, "text/plain; charset=utf-8", "method not allowed\n");
            var bytes = Encoding.UTF8.GetBytes(body);
            response.StatusCode = status;
            response.ContentType = type;
            response.ContentLength64 = bytes.Length;
            if (context.Request.HttpMethod != "HEAD")
            {
                response.OutputStream.Write(bytes);
            }
        }
        catch (Exception e) when (e is StackvaultException or IOException or HttpListenerException or UnauthorizedAccessException)
        {
            _options.Log.Warn("http request failed", ("path", context.Request.Url?.AbsolutePath), ("error", e.Message));
            response.StatusCode = 500;
        }
        finally
        {
            response.Close();
        }
    }

    private (int Status, string Type, string Body) Route(string path)
    {
        switch (path)
        {
            case "/metrics":
                var state = _options.Store.Load();
                var metrics = MetricsBuilder.Build(MonitoredJob.From(_options.Config, state), state, _options.Time.GetUtcNow(), _version);
                return (200, ExpositionWriter.ContentType, metrics);
            case "/healthz":
                return (200, "text/plain; charset=utf-8", "ok\n");
            case "/status":
                var current = _options.Store.Load();
                var report = StatusReport.Build(MonitoredJob.From(_options.Config, current), current, _options.Store.Directory, _options.Time.GetUtcNow());
                return (200, "application/json", report.ToJson() + "\n");
            default:
                return (404, "text/plain; charset=utf-8", "not found: try /metrics, /healthz or /status\n");
        }
    }
}
