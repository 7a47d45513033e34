using System.Text;
using Stackvault.Errors;

namespace Stackvault.Telemetry;

/// <summary>
/// Metrics for one-shot runs: a node_exporter textfile (written atomically) and a Pushgateway push. Each job is
/// pushed to its own group, <c>/metrics/job/&lt;job&gt;/instance/&lt;host&gt;</c>, so the grouping key's <c>job</c> is
/// the same as the metrics' own <c>job</c> label (the Pushgateway rejects a pushed metric whose labels contradict it).
/// </summary>
public static class MetricsPublisher
{
    public static void WriteTextfile(string path, string metrics)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!path.EndsWith(".prom", StringComparison.Ordinal))
        {
            throw new UsageException($"--metrics-textfile {path}: the node_exporter textfile collector reads only *.prom files");
        }

        AtomicFile.WriteText(path, metrics);
    }

    /// <summary>PUTs <paramref name="metrics"/> (replacing the group's previous push); a non-2xx answer throws.</summary>
    public static async ValueTask PushAsync(HttpClient http, string gateway, string job, string instance, string metrics, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        var url = GroupUrl(gateway, job, instance);
        using var content = new StringContent(metrics, Encoding.UTF8);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("text/plain; version=0.0.4; charset=utf-8");
        using var response = await http.PutAsync(url, content, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new StackvaultException($"pushgateway {url.GetLeftPart(UriPartial.Authority)} answered {(int)response.StatusCode}: {body.Trim()}");
        }
    }

    public static Uri GroupUrl(string gateway, string job, string instance)
    {
        if (!Uri.TryCreate(gateway, UriKind.Absolute, out var baseUri) || baseUri.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(baseUri.UserInfo))
        {
            throw new UsageException($"--pushgateway: expected an http(s) URL without credentials, e.g. http://127.0.0.1:9091");
        }

        return new Uri(baseUri.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/metrics/" + Segment("job", job) + "/" + Segment("instance", instance));
    }

    /// <summary>A grouping label as a path segment; values with a slash use the Pushgateway's base64url form.</summary>
    private static string Segment(string label, string value)
    {
        if (value.Length > 0 && !value.Contains('/', StringComparison.Ordinal))
        {
            return label + "/" + Uri.EscapeDataString(value);
        }

        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes(value)).Replace('+', '-').Replace('/', '_');
        return $"{label}@base64/{(encoded.Length == 0 ? "=" : encoded)}";
    }
}
