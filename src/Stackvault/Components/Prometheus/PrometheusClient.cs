using System.Globalization;
using System.Net;
using Stackvault.Errors;

namespace Stackvault.Components.Prometheus;

/// <summary>
/// The few calls of the Prometheus HTTP API that a backup needs: TSDB snapshot (admin API), build info, readiness,
/// and queries (for tests and restore drills). Every failure is a one-line StackvaultException naming the URL.
/// </summary>
public sealed class PrometheusClient
{
    /// <summary>Answers larger than this are refused (a query over a huge range, or something that is not Prometheus).</summary>
    public const int MaxResponseBytes = 64 << 20;

    private readonly HttpClient _http;
    private readonly TimeProvider _time;

    /// <param name="httpClient">Used as it is (timeout, handler); not disposed by this client.</param>
    /// <param name="baseUri">The Prometheus URL, with its route prefix if any, for example <c>http://prometheus:9090/</c>.</param>
    /// <param name="timeProvider">The clock of instant queries without an explicit time.</param>
    public PrometheusClient(HttpClient httpClient, Uri baseUri, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(baseUri);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (!baseUri.IsAbsoluteUri || (baseUri.Scheme != Uri.UriSchemeHttp && baseUri.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"the Prometheus URL must be an absolute http or https URL: {baseUri}", nameof(baseUri));
        }

        _http = httpClient;
        _time = timeProvider;
        BaseUri = baseUri.AbsoluteUri.EndsWith('/') ? baseUri : new Uri(baseUri.AbsoluteUri + "/");
    }

    public Uri BaseUri { get; }

    /// <summary>
    /// <c>POST /api/v1/admin/tsdb/snapshot</c>: Prometheus hard-links its blocks (and, unless <paramref name="skipHead"/>,
    /// writes the in-memory head as a block) into <c>&lt;data_dir&gt;/snapshots/&lt;name&gt;</c>. Returns the name, unchecked.
    /// </summary>
    public async Task<string> CreateSnapshotAsync(bool skipHead, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Api($"api/v1/admin/tsdb/snapshot?skip_head={(skipHead ? "true" : "false")}"));
        var (status, body) = await SendAsync(request, cancellationToken).ConfigureAwait(false);

        // Prometheus 2.42 answers 500 {"errorType":"unavailable","error":"admin APIs disabled"}; a proxy or an older build may answer 404.
        var error = PrometheusResponse.ErrorMessage(body);
        if (status == HttpStatusCode.NotFound || (error is not null && error.Contains("admin APIs disabled", StringComparison.OrdinalIgnoreCase)))
        {
            throw new StackvaultException($"Prometheus at {BaseUri} has its admin API disabled (HTTP {(int)status}): start Prometheus with --web.enable-admin-api to allow TSDB snapshots");
        }

        using var document = PrometheusResponse.Parse(status, body, "the TSDB snapshot", BaseUri);
        return PrometheusResponse.String(document.RootElement.GetProperty("data"), "name", "snapshot");
    }

    /// <summary><c>GET /api/v1/status/buildinfo</c>.</summary>
    public async Task<PrometheusBuildInfo> BuildInfoAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Api("api/v1/status/buildinfo"));
        var (status, body) = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        using var document = PrometheusResponse.Parse(status, body, "build info", BaseUri);
        var data = document.RootElement.GetProperty("data");
        return new PrometheusBuildInfo(PrometheusResponse.String(data, "version", "buildinfo"), PrometheusResponse.String(data, "revision", "buildinfo"));
    }

    /// <summary><c>GET /-/ready</c>: true when Prometheus answers 200 (it answers 503 while it replays its WAL).</summary>
    public async Task<bool> ReadyAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Api("-/ready"));
        var (status, _) = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        return status == HttpStatusCode.OK;
    }

    /// <summary><c>/api/v1/query</c> at <paramref name="time"/> (now when null): one sample per series.</summary>
    public async Task<IReadOnlyList<PrometheusSeries>> QueryAsync(string query, DateTimeOffset? time, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(query);
        var form = new Dictionary<string, string> { ["query"] = query, ["time"] = Seconds(time ?? _time.GetUtcNow()) };
        return await QueryCoreAsync("api/v1/query", form, "query", cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>/api/v1/query_range</c> from <paramref name="start"/> to <paramref name="end"/> every <paramref name="step"/>.</summary>
    public async Task<IReadOnlyList<PrometheusSeries>> QueryRangeAsync(string query, DateTimeOffset start, DateTimeOffset end, TimeSpan step, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(step, TimeSpan.FromMilliseconds(1));
        ArgumentOutOfRangeException.ThrowIfLessThan(end, start);
        var form = new Dictionary<string, string>
        {
            ["query"] = query,
            ["start"] = Seconds(start),
            ["end"] = Seconds(end),
            ["step"] = (step.Ticks / (decimal)TimeSpan.TicksPerSecond).ToString(CultureInfo.InvariantCulture),
        };
        return await QueryCoreAsync("api/v1/query_range", form, "range query", cancellationToken).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<PrometheusSeries>> QueryCoreAsync(string path, Dictionary<string, string> form, string what, CancellationToken cancellationToken)
    {
        // POST with a form body: long PromQL does not hit URL length limits.
        using var request = new HttpRequestMessage(HttpMethod.Post, Api(path)) { Content = new FormUrlEncodedContent(form) };
        var (status, body) = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        using var document = PrometheusResponse.Parse(status, body, $"the {what}", BaseUri);
        return PrometheusResponse.Series(document.RootElement.GetProperty("data"), what);
    }

    private async Task<(HttpStatusCode Status, byte[] Body)> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (response.Content.Headers.ContentLength > MaxResponseBytes)
            {
                throw TooLarge();
            }

            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                using var buffer = new MemoryStream();
                var chunk = new byte[81920];
                int read;
                while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    if (buffer.Length + read > MaxResponseBytes)
                    {
                        throw TooLarge();
                    }

                    buffer.Write(chunk, 0, read);
                }

                return (response.StatusCode, buffer.ToArray());
            }
        }
        catch (HttpRequestException ex)
        {
            throw new StackvaultException($"cannot reach Prometheus at {BaseUri}: {PrometheusResponse.OneLine(ex.Message)}", inner: ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new StackvaultException($"Prometheus at {BaseUri} did not answer within {_http.Timeout.TotalSeconds:0.#}s", inner: ex);
        }
    }

    private StackvaultException TooLarge() => new($"Prometheus at {BaseUri} sent an answer larger than {MaxResponseBytes >> 20} MiB");

    private Uri Api(string relative) => new(BaseUri, relative);

    private static string Seconds(DateTimeOffset time) =>
        (time.ToUnixTimeMilliseconds() / 1000m).ToString(CultureInfo.InvariantCulture);
}
