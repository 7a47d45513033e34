using System.Net;
using System.Text.Json;
using Stackvault.Components.Grafana;
using Stackvault.Components.Postgres;
using Stackvault.Components.Prometheus;
using Stackvault.Configuration;
using Stackvault.Repository.Model;

namespace Stackvault.Restore.Live;

/// <summary>
/// Talks to a component's running engine around a live restore: its version (Prometheus build info, Grafana
/// <c>/api/health</c>, Loki/Tempo build info, PostgreSQL <c>server_version</c>), its readiness (<c>/-/ready</c>,
/// <c>/api/health</c>, <c>/ready</c>, a SQL ping) and the post-restore check. Every answer is a short, secret-free line.
/// </summary>
public sealed class EngineProbe(HttpClient http, TimeProvider time)
{
    /// <summary>The running engine's version, or null when the component has no endpoint to ask (files, command).</summary>
    public async Task<string?> VersionAsync(ComponentConfig component, CancellationToken cancellationToken) => component switch
    {
        PrometheusComponent p => (await new PrometheusClient(http, p.Url, time).BuildInfoAsync(cancellationToken).ConfigureAwait(false)).Version,
        GrafanaComponent { Url: { } url } => await JsonVersionAsync(new Uri(Slash(url), "api/health"), cancellationToken).ConfigureAwait(false),
        LokiComponent l => await JsonVersionAsync(new Uri(Slash(l.Url), "loki/api/v1/status/buildinfo"), cancellationToken).ConfigureAwait(false),
        TempoComponent t => await JsonVersionAsync(new Uri(Slash(t.Url), "api/status/buildinfo"), cancellationToken).ConfigureAwait(false),
        PostgresComponent pg => (await Connection(pg).QueryAsync(Connection(pg).MaintenanceDatabase, "SHOW server_version", cancellationToken).ConfigureAwait(false)).Single()[0],
        _ => null,
    };

    /// <summary>Null when the engine answers ready (or has nothing to ask), else why not.</summary>
    public async Task<string?> ReadyAsync(ComponentConfig component, CancellationToken cancellationToken)
    {
        try
        {
            return component switch
            {
                PrometheusComponent p => await StatusAsync(new Uri(Slash(p.Url), "-/ready"), cancellationToken).ConfigureAwait(false),
                GrafanaComponent { Url: { } url } => await StatusAsync(new Uri(Slash(url), "api/health"), cancellationToken).ConfigureAwait(false),
                LokiComponent l => await StatusAsync(new Uri(Slash(l.Url), "ready"), cancellationToken).ConfigureAwait(false),
                TempoComponent t => await StatusAsync(new Uri(Slash(t.Url), "ready"), cancellationToken).ConfigureAwait(false),
                PostgresComponent pg => await PingAsync(pg, Connection(pg).MaintenanceDatabase, cancellationToken).ConfigureAwait(false),
                _ => null,
            };
        }
        catch (HttpRequestException e)
        {
            return "no answer: " + e.Message.ReplaceLineEndings(" ");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return "no answer within the HTTP timeout";
        }
    }

    /// <summary>
    /// The post-restore check, after readiness: Prometheus answers a query; Grafana's database passes integrity_check
    /// with the row counts recorded at backup; PostgreSQL answers a SQL ping in each restored database. Failure is null
    /// when ok; Summary says what was checked (Grafana: the row counts of its main tables), for the operator.
    /// </summary>
    public async Task<(string? Failure, string Summary)> CheckAsync(ComponentConfig component, ComponentSection section, IReadOnlyList<string> databases, CancellationToken cancellationToken)
    {
        switch (component)
        {
            case PrometheusComponent p:
                try
                {
                    await new PrometheusClient(http, p.Url, time).QueryAsync("vector(1)", null, cancellationToken).ConfigureAwait(false);
                    return (null, "answers queries");
                }
                catch (Exception e) when (e is HttpRequestException or Errors.StackvaultException)
                {
                    return ("a query failed: " + e.Message, string.Empty);
                }

            case GrafanaComponent g:
                var report = GrafanaDatabaseCheck.Run(g.Database, cancellationToken);
                if (!report.IsIntact)
                {
                    return ($"{g.Database} failed integrity_check: {string.Join("; ", report.IntegrityMessages.Take(3))}", string.Empty);
                }

                var differ = (section.Checks ?? []).Where(c => GrafanaDatabaseCheck.Tables.Contains(c.Key) && report.RowCounts.GetValueOrDefault(c.Key, -1) != c.Value)
                    .Select(c => $"{c.Key}: {report.RowCounts.GetValueOrDefault(c.Key, 0)} rows, the backup had {c.Value}").ToList();
                var counts = "integrity_check ok; rows: " + string.Join(", ", report.RowCounts.Select(c => $"{c.Key} {c.Value}"));
                return differ.Count == 0 ? (null, counts) : ($"{g.Database}: row counts differ from the backup ({string.Join(", ", differ)})", counts);
            case PostgresComponent pg:
                foreach (var database in databases)
                {
                    if (await PingAsync(pg, database, cancellationToken).ConfigureAwait(false) is { } error)
                    {
                        return (error, string.Empty);
                    }
                }

                return (null, $"SELECT 1 answered in {string.Join(", ", databases)}");
            default:
                return (null, "every file verified against its hashes");
        }
    }

    private static PostgresConnection Connection(PostgresComponent pg) => LivePostgres.Admin(pg);

    private static async Task<string?> PingAsync(PostgresComponent pg, string database, CancellationToken cancellationToken)
    {
        try
        {
            var rows = await Connection(pg).QueryAsync(database, "SELECT 1", cancellationToken).ConfigureAwait(false);
            return rows.Count == 1 && rows[0][0] == "1" ? null : $"database {database}: SELECT 1 answered unexpectedly";
        }
        catch (Exception e) when (e is IOException or Errors.StackvaultException)
        {
            return $"database {database}: {e.Message}";
        }
    }

    private async Task<string?> StatusAsync(Uri url, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(url, cancellationToken).ConfigureAwait(false);
        return response.StatusCode == HttpStatusCode.OK ? null : $"{Jobs.Hooks.HookRunner.SafeUrl(url)} answered HTTP {(int)response.StatusCode}";
    }

    private async Task<string?> JsonVersionAsync(Uri url, CancellationToken cancellationToken)
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

    private static Uri Slash(Uri url) => url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");
}
