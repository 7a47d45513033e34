namespace Stackvault.Buckets;

/// <summary>
/// Calls Mimir's (or Cortex's) <c>/ingester/flush</c> with <c>wait=true</c> and waits for the answer, so that the
/// ingesters cut and upload their in-memory blocks before a backup lists the bucket. Mimir's docs say the status
/// code does not reflect the flush's result: a 2xx only means the ingesters were asked and answered, which is why
/// the backup still reports the newest block's max time (<see cref="BucketFreshness"/>). Any failure (a non-2xx,
/// no connection, no answer in time) is returned as a message: the caller makes the run partial, never silent.
/// </summary>
public static class IngesterFlush
{
    /// <summary>How long a flush may take (a flush with wait=true answers only when every ingester is done).</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(15);

    /// <summary>The URL with <c>wait=true</c> added (or forced) to its query.</summary>
    public static Uri WithWait(string url)
    {
        var builder = new UriBuilder(url);
        var query = builder.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Where(p => !p.StartsWith("wait=", StringComparison.OrdinalIgnoreCase) && p != "wait")
            .Append("wait=true");
        builder.Query = string.Join('&', query);
        return builder.Uri;
    }

    /// <summary>POSTs the flush and waits; null when the ingesters answered 2xx, else why not.</summary>
    public static async ValueTask<string?> RunAsync(string url, CancellationToken cancellationToken)
    {
        var target = WithWait(url);
        using var http = new HttpClient { Timeout = Timeout };
        try
        {
            using var response = await http.PostAsync(target, content: null, cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode ? null : $"{target}: HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
        }
        catch (HttpRequestException e)
        {
            return $"{target}: {e.Message}";
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"{target}: no answer within {Timeout.TotalMinutes:0} minutes";
        }
    }
}
