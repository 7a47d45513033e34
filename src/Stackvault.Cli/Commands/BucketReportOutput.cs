using Stackvault.Buckets;
using Stackvault.Cli.Output;

namespace Stackvault.Cli.Commands;

/// <summary>Prints a bucket report: a table of blocks and overlaps for people, one object with --json.</summary>
internal static class BucketReportOutput
{
    public static object Json(BucketReport report, BucketFreshness? freshness = null) => new
    {
        source = report.Source,
        layout = report.Layout.Name,
        shard = report.Shard.IsAll ? null : report.Shard.ToString(),
        objects_listed = report.ObjectsListed,
        objects_selected = report.Selected.Count,
        bytes_selected = report.SelectedBytes,
        counts = report.Checks(),
        blocks = report.Blocks.Select(b => new
        {
            tenant = b.Tenant.Length == 0 ? null : b.Tenant,
            id = b.Id,
            state = b.State,
            min_time = b.MinTime,
            max_time = b.MaxTime,
            objects = b.Objects,
            bytes = b.Bytes,
            problem = b.Problem,
            selected = b.Selected,
        }),
        overlaps = report.Overlaps.Select(o => new { tenant = o.Tenant.Length == 0 ? null : o.Tenant, first = o.First, second = o.Second, from = o.From, to = o.To }),
        left_out = report.LeftOut,
        freshness = freshness is null ? null : new
        {
            newest_max_time = freshness.NewestMaxTime,
            newest_max_time_per_tenant = freshness.NewestPerTenant,
            gap_seconds = freshness.GapSeconds,
            flush_url = freshness.FlushUrl,
            flush_error = freshness.FlushError,
            note = freshness.Summary(),
        },
    };

    public static void Table(CliOutput output, BucketReport report, BucketFreshness? freshness = null)
    {
        if (report.Blocks.Count > 0)
        {
            output.Result($"{"TENANT",-16} {"BLOCK",-36} {"STATE",-9} {"MIN TIME",-20} {"MAX TIME",-20} {"OBJECTS",7} {"SIZE",11}  PROBLEM");
            foreach (var b in report.Blocks)
            {
                output.Result($"{(b.Tenant.Length == 0 ? "-" : b.Tenant),-16} {b.Id,-36} {b.State,-9} {Format(b.MinTime),-20} {Format(b.MaxTime),-20} {b.Objects,7} {Units.Bytes(b.Bytes),11}  {b.Problem}");
            }
        }

        foreach (var o in report.Overlaps)
        {
            output.Result($"overlap: {(o.Tenant.Length == 0 ? string.Empty : o.Tenant + ": ")}{o.First} and {o.Second} share {Format(o.From)} .. {Format(o.To)}");
        }

        var counts = report.Layout.HasBlocks
            ? $"{report.Count(BlockState.Complete)} complete, {report.Count(BlockState.Partial)} partial, {report.Count(BlockState.Corrupt)} corrupt, {report.Count(BlockState.Marked)} marked blocks; {report.Overlaps.Count} overlaps; "
            : string.Empty;
        var leftOut = report.LeftOut.Count == 0 ? string.Empty : "; left out: " + string.Join(", ", report.LeftOut.Select(kv => $"{kv.Value} {kv.Key}"));
        if (freshness is not null)
        {
            foreach (var (tenant, ms) in freshness.NewestPerTenant)
            {
                output.Result($"newest block of {(tenant.Length == 0 ? "-" : tenant)}: ends {BucketFreshness.Format(ms)}");
            }

            output.Result((freshness.FlushError is null ? "note: " : "warning: ") + freshness.Summary());
        }

        output.Result($"{report.Source} ({report.Layout.Name}{(report.Shard.IsAll ? string.Empty : ", shard " + report.Shard)}): {counts}{report.Selected.Count} of {report.ObjectsListed} objects selected, {Units.Bytes(report.SelectedBytes)}{leftOut}");
    }

    private static string Format(long? ms) =>
        ms is { } value ? DateTimeOffset.FromUnixTimeMilliseconds(value).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture) : "-";
}
