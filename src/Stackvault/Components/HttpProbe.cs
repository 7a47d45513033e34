using System.Net;
using System.Text.Json;
using Stackvault.Configuration;
using Stackvault.Repository.Model;

namespace Stackvault.Components;

/// <summary>
/// The probe of an engine that answers over HTTP: its version from a build-info JSON (<c>version</c>, or
/// <c>data.version</c>) and its readiness from a 200 on a ready path. Its post-restore check is the files' hashes
/// (the restore verified them) unless the engine adds its own.
/// </summary>
public class HttpProbe(HttpClient http, Func<ComponentConfig, Uri?> url, string versionPath, string readyPath) : IEngineProbe
{
    protected HttpClient Http => http;

    public async Task<string?> VersionAsync(ComponentConfig component, CancellationToken cancellationToken) =>
        url(component) is { } baseUrl ? await JsonVersionAsync(http, new Uri(Slash(baseUrl), versionPath), cancellationToken).ConfigureAwait(false) : null;

    public async Task<string?> ReadyAsync(ComponentConfig component, CancellationToken cancellationToken) =>
        url(component) is { } baseUrl ? await StatusAsync(http, new Uri(Slash(baseUrl), readyPath), cancellationToken).ConfigureAwait(false) : null;

    public virtual Task<(string? Failure, string Summary)> CheckAsync(ComponentConfig component, ComponentSection section, IReadOnlyList<string> databases, CancellationToken cancellationToken) =>
        Task.FromResult<(string?, string)>((null, "every file verified against its hashes"));

    /// <summary>Null on HTTP 200, else what the URL (without credentials) answered.</summary>
    public static async Task<string?> StatusAsync(HttpClient http, Uri url, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(url, cancellationToken).ConfigureAwait(false);
        return response.StatusCode == HttpStatusCode.OK ? null : $"{Jobs.Hooks.HookRunner.SafeUrl(url)} answered HTTP {(int)response.StatusCode}";
    }

    /// <summary>The <c>version</c> (or <c>data.version</c>) of a JSON answer, null when there is none.</summary>
    public static async Task<string?> JsonVersionAsync(HttpClient http, Uri url, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(url, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object)
            {
                root = data;
            }

            return root.ValueKind == JsonValueKind.Object && root.TryGetProperty("version", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static Uri Slash(Uri url) => url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");
}
