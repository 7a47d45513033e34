using Stackvault.Components.Prometheus;
using Stackvault.Errors;

namespace Stackvault.Drill;

public sealed partial class PrometheusDrillCheck
{
    private static async Task QueryAsync(DrillContext context, PrometheusClient client, List<DrillCheckResult> results, CancellationToken cancellationToken)
    {
        // The drill's queries, evaluated at the end of the backed-up range: each must answer with at least one series.
        var at = context.Recorded(PrometheusChecks.MaxTimeMs) is { } max ? DateTimeOffset.FromUnixTimeMilliseconds(max - 1) : (DateTimeOffset?)null;
        foreach (var query in context.Options.PrometheusQueries)
        {
            var name = $"query {query}";
            if (at is null)
            {
                results.Add(DrillCheckResult.Fail(name, "the backup recorded no time range (min_time_ms/max_time_ms): was it made by an older version, or without blocks?"));
                continue;
            }

            try
            {
                var series = await client.QueryAsync(query, at, cancellationToken).ConfigureAwait(false);
                results.Add(series.Count > 0 ? DrillCheckResult.Pass(name, $"{series.Count} series") : DrillCheckResult.Fail(name, "no data at the end of the backed-up range"));
            }
            catch (StackvaultException e)
            {
                results.Add(DrillCheckResult.Fail(name, e.Message));
            }
        }

        // The samples of `up` over the recorded window, against the live server's answer at backup time.
        if (context.Recorded(PrometheusChecks.WindowStartMs) is { } start && context.Recorded(PrometheusChecks.WindowEndMs) is { } end)
        {
            try
            {
                var (samples, seriesCount) = await PrometheusRecording.UpAsync(client, start, end, cancellationToken).ConfigureAwait(false);
                if (context.Recorded(PrometheusChecks.UpSamples) is { } recordedSamples)
                {
                    results.Add(DrillCheckResult.Compare("query.up_samples", recordedSamples, samples));
                }

                if (context.Recorded(PrometheusChecks.UpSeries) is { } recordedSeries)
                {
                    results.Add(DrillCheckResult.Compare("query.up_series", recordedSeries, seriesCount));
                }
            }
            catch (StackvaultException e)
            {
                results.Add(DrillCheckResult.Fail("query.up_samples", e.Message));
            }
        }
    }
}
