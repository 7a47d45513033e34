using System.Net;
using System.Text.Json;
using Stackvault.Errors;

namespace Stackvault.Components;

/// <summary>
/// The two calls Loki and Tempo adapters make: <c>POST /flush</c> and a build-info GET. Answers are read up to
/// <see cref="MaxResponseBytes"/>; failures to connect become one-line StackvaultExceptions naming the engine and URL.
/// </summary>
public sealed class EngineHttp
{
    public const int MaxResponseBytes = 1 << 20;

    private readonly HttpClient _http;
    private readonly string _engine;

    public EngineHttp(HttpClient httpClient, string engine, Uri baseUri)
    {
        _http = httpClient;
        _engine = engine;
        BaseUri = baseUri.AbsoluteUri.EndsWith('/') ? baseUri : new Uri(baseUri.AbsoluteUri + "/");
    }

    public Uri BaseUri { get; }

    /// <summary>The URL as recorded in the manifest: without a user or password.</summary>
    public string SafeUrl => string.IsNullOrEmpty(BaseUri.UserInfo)
        ? BaseUri.ToString()
        : new UriBuilder(BaseUri) { UserName = string.Empty, Password = string.Empty }.Uri.ToString();

    /// <summary><c>POST flush</c>: true on 2xx, false on 404 (the endpoint does not exist); other answers throw.</summary>
    public async Task<bool> FlushAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(BaseUri, "flush"));
        var (status, body) = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (status == HttpStatusCode.NotFound)
        {
            return false;
        }

        if ((int)status is < 200 or > 299)
        {
            throw new StackvaultException($"{_engine} at {SafeUrl} refused the flush (HTTP {(int)status}): {OneLine(System.Text.Encoding.UTF8.GetString(body))}");
        }

        return true;
    }

    /// <summary>The <c>version</c> field of a build-info answer at <paramref name="relative"/>, or null when absent or unreadable.</summary>
    public async Task<string?> VersionAsync(string relative, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(BaseUri, relative));
        var (status, body) = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (status != HttpStatusCode.OK)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object)
            {
                root = data; // Prometheus-style envelope
            }

            return root.ValueKind == JsonValueKind.Object && root.TryGetProperty("version", out var version) && version.ValueKind == JsonValueKind.String
                ? OneLine(version.GetString()!)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private async Task<(HttpStatusCode Status, byte[] Body)> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                using var buffer = new MemoryStream();
                var chunk = new byte[16384];
                int read;
                while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    if (buffer.Length + read > MaxResponseBytes)
                    {
                        throw new StackvaultException($"{_engine} at {SafeUrl} sent an answer larger than {MaxResponseBytes >> 20} MiB");
                    }

                    buffer.Write(chunk, 0, read);
                }

                return (response.StatusCode, buffer.ToArray());
            }
        }
        catch (HttpRequestException ex)
        {
            throw new StackvaultException($"cannot reach {_engine} at {SafeUrl}: {OneLine(ex.Message)}", inner: ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new StackvaultException($"{_engine} at {SafeUrl} did not answer within {_http.Timeout.TotalSeconds:0.#}s", inner: ex);
        }
    }

    private static string OneLine(string text)
    {
        var line = text.ReplaceLineEndings(" ").Trim();
        return line.Length > 300 ? line[..300] : line;
    }
}
