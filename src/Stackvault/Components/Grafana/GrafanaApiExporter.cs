using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Stackvault.Configuration;

namespace Stackvault.Components.Grafana;

/// <summary>
/// Exports a running Grafana's objects through its HTTP API as readable JSON beside the database: every dashboard
/// (<c>/api/search?type=dash-db</c>, then <c>/api/dashboards/uid/UID</c>) as <c>dashboards/UID.json</c>, and
/// <c>folders.json</c>, <c>datasources.json</c> (secrets dropped: <see cref="GrafanaApiSecrets"/>),
/// <c>alert-rules.json</c>, <c>contact-points.json</c> (Grafana redacts their secure settings) and
/// <c>notification-policies.json</c>. An endpoint that fails is a warning; the database backup goes on without it.
/// </summary>
public sealed class GrafanaApiExporter(HttpClient http, Uri url, string token)
{
    public const int SearchPageSize = 1000;

    private static readonly (string Path, string File, string Count)[] Lists =
    [
        ("api/folders", "folders.json", "api.folders"),
        ("api/datasources", "datasources.json", "api.datasources"),
        ("api/v1/provisioning/alert-rules", "alert-rules.json", "api.alert_rules"),
        ("api/v1/provisioning/contact-points", "contact-points.json", "api.contact_points"),
        ("api/v1/provisioning/policies", "notification-policies.json", "api.notification_policies"),
    ];

    private readonly Uri _base = url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");

    public static GrafanaApiExporter For(GrafanaComponent component, HttpClient http) =>
        new(http, component.Url ?? throw new ArgumentException("no url", nameof(component)), component.ApiToken?.Reveal() ?? throw new ArgumentException("no api_token", nameof(component)));

    /// <summary>Writes the export into <paramref name="directory"/> (created); never throws for an HTTP or JSON failure.</summary>
    public async Task<GrafanaApiExport> ExportAsync(string directory, CancellationToken cancellationToken)
    {
        var export = new GrafanaApiExport(directory);
        Directory.CreateDirectory(directory);
        try
        {
            var uids = await DashboardUidsAsync(cancellationToken).ConfigureAwait(false);
            Directory.CreateDirectory(Path.Combine(directory, "dashboards"));
            foreach (var uid in uids)
            {
                if (!Stackvault.Restore.SafeNames.IsSafe(uid) || uid.StartsWith('.'))
                {
                    export.Warnings.Add($"dashboard uid '{uid}' cannot be a file name: left out of the API export");
                    continue;
                }

                var dashboard = await GetAsync("api/dashboards/uid/" + Uri.EscapeDataString(uid), cancellationToken).ConfigureAwait(false);
                await WriteAsync(Path.Combine(directory, "dashboards", uid + ".json"), dashboard, cancellationToken).ConfigureAwait(false);
                export.Counts["api.dashboards"] = export.Counts.GetValueOrDefault("api.dashboards") + 1;
            }
        }
        catch (GrafanaApiException e)
        {
            export.Warnings.Add(e.Message);
            if (e.Unreachable)
            {
                return export;
            }
        }

        foreach (var (path, file, count) in Lists)
        {
            try
            {
                var node = GrafanaApiSecrets.Drop(await GetAsync(path, cancellationToken).ConfigureAwait(false));
                await WriteAsync(Path.Combine(directory, file), node, cancellationToken).ConfigureAwait(false);
                export.Counts[count] = node is JsonArray array ? array.Count : 1;
            }
            catch (GrafanaApiException e)
            {
                export.Warnings.Add(e.Message);
                if (e.Unreachable)
                {
                    break;
                }
            }
        }

        return export;
    }

    private async Task<List<string>> DashboardUidsAsync(CancellationToken cancellationToken)
    {
        var uids = new List<string>();
        for (var page = 1; ; page++)
        {
            var hits = await GetAsync($"api/search?type=dash-db&limit={SearchPageSize}&page={page}", cancellationToken).ConfigureAwait(false) as JsonArray
                ?? throw new GrafanaApiException("/api/search did not answer a list", unreachable: false);
            uids.AddRange(hits.Select(h => h?["uid"]?.GetValue<string>()).OfType<string>());
            if (hits.Count < SearchPageSize)
            {
                return [.. uids.Distinct(StringComparer.Ordinal)];
            }
        }
    }

    private async Task<JsonNode?> GetAsync(string relative, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_base, relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var where = "/" + relative.Split('?')[0];
        try
        {
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new GrafanaApiException($"Grafana API {where} answered HTTP {(int)response.StatusCode}: left out of the API export", unreachable: false);
            }

            return JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (HttpRequestException e)
        {
            throw new GrafanaApiException($"Grafana API at {Jobs.Hooks.HookRunner.SafeUrl(_base)} unreachable ({e.Message.ReplaceLineEndings(" ")}): no API export, the database is backed up", unreachable: true);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new GrafanaApiException($"Grafana API {where} did not answer in time: no API export, the database is backed up", unreachable: true);
        }
        catch (System.Text.Json.JsonException)
        {
            throw new GrafanaApiException($"Grafana API {where} did not answer JSON: left out of the API export", unreachable: false);
        }
    }

    private static async Task WriteAsync(string path, JsonNode? node, CancellationToken cancellationToken) =>
        await File.WriteAllTextAsync(path, node?.ToJsonString(GrafanaApiSecrets.Indented) ?? "null", cancellationToken).ConfigureAwait(false);
}
