using System.Text;
using Stackvault.Errors;

namespace Stackvault.Components.Alertmanager;

/// <summary>
/// The Alertmanager v2 silences API: list (answer bounded to <see cref="MaxResponseBytes"/>) and create.
/// </summary>
public sealed class AlertmanagerApi(HttpClient http, Uri baseUri)
{
    public const int MaxResponseBytes = 64 << 20;

    public Uri BaseUri { get; } = baseUri.AbsoluteUri.EndsWith('/') ? baseUri : new Uri(baseUri.AbsoluteUri + "/");

    /// <summary>The URL without credentials, for messages and manifests.</summary>
    public string SafeUrl => new UriBuilder(BaseUri) { UserName = string.Empty, Password = string.Empty }.Uri.AbsoluteUri;

    /// <summary>The raw JSON of <c>GET /api/v2/silences</c>.</summary>
    public async Task<string> SilencesJsonAsync(CancellationToken cancellationToken)
    {
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(BaseUri, "api/v2/silences")), cancellationToken).ConfigureAwait(false);
        var body = await ReadLimitedAsync(response, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new StackvaultException($"Alertmanager {SafeUrl}: GET /api/v2/silences answered {(int)response.StatusCode}: {Short(body)}");
        }

        return body;
    }

    public async Task<IReadOnlyList<Silence>> SilencesAsync(CancellationToken cancellationToken) =>
        Silence.ParseList(await SilencesJsonAsync(cancellationToken).ConfigureAwait(false), $"Alertmanager {SafeUrl} /api/v2/silences");

    /// <summary>The running version (<c>versionInfo.version</c> of <c>GET /api/v2/status</c>), or null when it does not say.</summary>
    public async Task<string?> VersionAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(BaseUri, "api/v2/status")), cancellationToken).ConfigureAwait(false);
            var body = await ReadLimitedAsync(response, cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode && System.Text.Json.Nodes.JsonNode.Parse(body)?["versionInfo"]?["version"] is System.Text.Json.Nodes.JsonValue v
                && v.TryGetValue<string>(out var version) ? Short(version) : null;
        }
        catch (Exception e) when (e is StackvaultException or System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>Creates <paramref name="silence"/> as a new silence; returns the new id.</summary>
    public async Task<string> CreateAsync(Silence silence, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(BaseUri, "api/v2/silences"))
        {
            Content = new StringContent(silence.ToPostBody(), Encoding.UTF8, "application/json"),
        };
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        var body = await ReadLimitedAsync(response, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new StackvaultException($"Alertmanager {SafeUrl}: creating silence {silence.Id} answered {(int)response.StatusCode}: {Short(body)}");
        }

        return System.Text.Json.Nodes.JsonNode.Parse(body)?["silenceID"]?.GetValue<string>() ?? string.Empty;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new StackvaultException($"Alertmanager {SafeUrl}: {e.Message}", inner: e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new StackvaultException($"Alertmanager {SafeUrl}: timed out", inner: e);
        }
    }

    private async Task<string> ReadLimitedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxResponseBytes)
            {
                throw new StackvaultException($"Alertmanager {SafeUrl}: answer larger than {MaxResponseBytes} bytes");
            }

            buffer.Write(chunk, 0, read);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static string Short(string body) => body.Length > 200 ? body[..200] : body.ReplaceLineEndings(" ");
}
