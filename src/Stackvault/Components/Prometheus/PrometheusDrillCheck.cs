using System.Globalization;
using Stackvault.Components.Prometheus;
using Stackvault.Errors;

namespace Stackvault.Drill;

/// <summary>
/// Prometheus: the restored blocks against the recorded ones (count, samples, series per block), <c>promtool tsdb
/// list</c> and <c>promtool tsdb analyze</c> on the restored directory, then a real Prometheus started on it (free
/// port, stopped afterwards) that must answer the drill's queries and count the same samples of <c>up</c> over the
/// backed-up range as the live server did at backup time.
/// </summary>
public sealed partial class PrometheusDrillCheck : IDrillCheck
{
    public string Type => Configuration.PrometheusComponent.TypeName;

    public async ValueTask<IReadOnlyList<DrillCheckResult>> RunAsync(DrillContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var results = new List<DrillCheckResult>();
        var layout = TsdbLayout.Scan(context.RestoredDirectory);
        CompareBlocks(context, layout, results);
        await PromtoolAsync(context, layout, results, cancellationToken).ConfigureAwait(false);

        var started = context.Time.GetTimestamp();
        PrometheusDrillServer server;
        try
        {
            server = await PrometheusDrillServer.StartAsync(context.Options.PrometheusBinary, context.RestoredDirectory, context.ScratchDirectory,
                context.Options.EngineStartTimeout, context.Time, cancellationToken).ConfigureAwait(false);
        }
        catch (StackvaultException e)
        {
            results.Add(DrillCheckResult.Fail("prometheus start", e.Message));
            return results;
        }

        await using (server.ConfigureAwait(false))
        {
            var seconds = context.Time.GetElapsedTime(started).TotalSeconds;
            results.Add(DrillCheckResult.Pass("prometheus start", $"ready on {server.Url} in {seconds.ToString("0.0", CultureInfo.InvariantCulture)}s"));
            await QueryAsync(context, server.Client, results, cancellationToken).ConfigureAwait(false);
        }

        return results;
    }

    private static void CompareBlocks(DrillContext context, TsdbLayout layout, List<DrillCheckResult> results)
    {
        if (context.Recorded(PrometheusChecks.Blocks) is { } blocks)
        {
            results.Add(DrillCheckResult.Compare(PrometheusChecks.Blocks, blocks, layout.Blocks.Count));
        }

        if (context.Recorded(PrometheusChecks.NumSamples) is { } samples)
        {
            results.Add(DrillCheckResult.Compare(PrometheusChecks.NumSamples, samples, (long)layout.Blocks.Aggregate(0UL, (sum, b) => sum + b.NumSamples)));
        }

        if (layout.PartialBlocks.Count > 0)
        {
            results.Add(DrillCheckResult.Fail("partial blocks", $"{layout.PartialBlocks.Count} block(s) without meta.json: {string.Join(", ", layout.PartialBlocks.Take(3))}"));
        }

        var restored = layout.Blocks.ToDictionary(b => b.Ulid, StringComparer.Ordinal);
        var missing = new List<string>();
        var differing = new List<string>();
        foreach (var (key, value) in context.Section.Checks ?? [])
        {
            if (PrometheusChecks.UlidOfSamples(key) is not { } ulid)
            {
                continue;
            }

            if (!restored.TryGetValue(ulid, out var block))
            {
                missing.Add(ulid);
            }
            else if ((long)block.NumSamples != value || (context.Recorded(PrometheusChecks.BlockSeries(ulid)) is { } series && PrometheusRecording.NumSeries(block.Path) != series))
            {
                differing.Add(ulid);
            }
        }

        if (missing.Count + differing.Count > 0)
        {
            results.Add(DrillCheckResult.Fail("recorded blocks",
                (missing.Count > 0 ? $"missing: {string.Join(", ", missing.Take(3))}" : string.Empty)
                + (missing.Count > 0 && differing.Count > 0 ? "; " : string.Empty)
                + (differing.Count > 0 ? $"samples or series differ: {string.Join(", ", differing.Take(3))}" : string.Empty)));
        }
        else if (restored.Count > 0)
        {
            results.Add(DrillCheckResult.Pass("recorded blocks", $"{restored.Count} blocks, samples and series per block as recorded"));
        }
    }

    private static async Task PromtoolAsync(DrillContext context, TsdbLayout layout, List<DrillCheckResult> results, CancellationToken cancellationToken)
    {
        var timeout = context.Options.EngineStartTimeout;
        var (exit, output) = await DrillProcess.RunAsync(context.Options.PromtoolBinary, ["tsdb", "list", context.RestoredDirectory], timeout, cancellationToken).ConfigureAwait(false);
        var unlisted = layout.Blocks.Where(b => !output.Contains(b.Ulid, StringComparison.Ordinal)).Select(b => b.Ulid).ToList();
        results.Add(exit != 0 ? DrillCheckResult.Fail("promtool tsdb list", $"exit {exit}: {DrillProcess.FirstLine(output)}")
            : unlisted.Count > 0 ? DrillCheckResult.Fail("promtool tsdb list", $"does not list {string.Join(", ", unlisted.Take(3))}")
            : DrillCheckResult.Pass("promtool tsdb list", $"{layout.Blocks.Count} blocks listed"));
        if (layout.Blocks.Count == 0)
        {
            return;
        }

        (exit, output) = await DrillProcess.RunAsync(context.Options.PromtoolBinary, ["tsdb", "analyze", context.RestoredDirectory], timeout, cancellationToken).ConfigureAwait(false);
        results.Add(exit == 0 ? DrillCheckResult.Pass("promtool tsdb analyze", DrillProcess.FirstLine(output))
            : DrillCheckResult.Fail("promtool tsdb analyze", $"exit {exit}: {DrillProcess.FirstLine(output)}"));
    }
}
