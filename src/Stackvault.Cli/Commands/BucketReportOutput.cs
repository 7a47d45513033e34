using Stackvault.Buckets;
using Stackvault.Cli.Output;

namespace Stackvault.Cli.Commands;

/// <summary>Prints a bucket report: a table of blocks and overlaps for people, one object with --json.</summary>
internal static class BucketReportOutput
{
    public static BucketReportJson Json(BucketReport report, BucketFreshness? freshness = null) => new(
        Source: report.Source,
        Layout: report.Layout.Name,
        Shard: report.Shard.IsAll ? null : report.Shard.ToString(),
        ObjectsListed: report.ObjectsListed,
        ObjectsSelected: report.Selected.Count,
        BytesSelected: report.SelectedBytes,
        Counts: report.Checks(),
        Blocks: report.Blocks.Select(b => new BucketBlockJson(
            Tenant: b.Tenant.Length == 0 ? null : b.Tenant,
            Id: b.Id,
            State: b.State,
            MinTime: b.MinTime,
            MaxTime: b.MaxTime,
            Objects: b.Objects,
            Bytes: b.Bytes,
            Problem: b.Problem,
            Selected: b.Selected)),
        Overlaps: report.Overlaps.Select(o => new BucketOverlapJson(o.Tenant.Length == 0 ? null : o.Tenant, o.First, o.Second, o.From, o.To)),
        LeftOut: report.LeftOut,
        Freshness: freshness is null ? null : new BucketFreshnessJson(
            NewestMaxTime: freshness.NewestMaxTime,
            NewestMaxTimePerTenant: freshness.NewestPerTenant,
            GapSeconds: freshness.GapSeconds,
            FlushUrl: freshness.FlushUrl,
            FlushError: freshness.FlushError,
            Note: freshness.Summary()));

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

/// <summary>A bucket report (<c>bucket verify --json</c>, the <c>report</c> record of <c>bucket backup</c>).</summary>
internal sealed record BucketReportJson(
    string Source,
    string Layout,
    string? Shard,
    int ObjectsListed,
    int ObjectsSelected,
    long BytesSelected,
    Dictionary<string, long> Counts,
    IEnumerable<BucketBlockJson> Blocks,
    IEnumerable<BucketOverlapJson> Overlaps,
    IReadOnlyDictionary<string, int> LeftOut,
    BucketFreshnessJson? Freshness);

/// <summary>One block of a bucket report (the tenant null on a layout without tenants).</summary>
internal sealed record BucketBlockJson(string? Tenant, string Id, string State, long? MinTime, long? MaxTime, int Objects, long Bytes, string? Problem, bool Selected);

/// <summary>Two blocks of a tenant whose time ranges overlap.</summary>
internal sealed record BucketOverlapJson(string? Tenant, string First, string Second, long From, long To);

/// <summary>How fresh the newest blocks are, and the ingesters' flush, for a Mimir or Cortex bucket backup.</summary>
internal sealed record BucketFreshnessJson(
    long? NewestMaxTime,
    IReadOnlyDictionary<string, long> NewestMaxTimePerTenant,
    long? GapSeconds,
    string? FlushUrl,
    string? FlushError,
    string Note);
