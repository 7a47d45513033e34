using System.Globalization;
using Stackvault.Maintenance;

namespace Stackvault.Cli.Output;

/// <summary>Human-readable reports of forget and prune.</summary>
internal static class MaintenanceReport
{
    public static void Prune(CliOutput output, PruneResult r)
    {
        output.Result($"{r.Snapshots} snapshots use {r.UsedBlobs} blobs; {r.PacksIndexed} indexed packs, {Units.Bytes(r.BytesBefore)} stored, {Units.Bytes(r.BytesUnusedBefore)} unused");
        if (r.AbandonedRemoved > 0)
        {
            output.Result($"removed {r.AbandonedRemoved} leftovers of killed writers ({Units.Bytes(r.AbandonedBytes)})");
        }

        if (r.SweepNote is not null)
        {
            output.Warn(r.SweepNote);
        }

        if (r.NothingToDo)
        {
            output.Result("nothing to prune");
            return;
        }

        output.Result($"packs: {r.PacksKept} kept, {r.PacksRepacked} repacked ({Units.Bytes(r.BytesRepacked)} of used data), {r.PacksUnused} unused, " +
            $"{r.OrphansDeleted} orphans deleted, {r.OrphansPending} new orphans recorded (the next prune deletes them if still unindexed)");
        output.Result(r.DryRun
            ? $"prune would delete {r.PacksDeleted} packs ({Units.Bytes(r.BytesDeleted)}); dry run: nothing changed"
            : $"prune deleted {r.PacksDeleted} packs ({Units.Bytes(r.BytesDeleted)}), wrote {r.PacksWritten} new packs; repository now {Units.Bytes(r.BytesAfter)}");
    }

    public static void Forget(CliOutput output, IReadOnlyList<ForgetGroup> groups, bool dryRun)
    {
        foreach (var group in groups)
        {
            output.Result($"group: {group.Key}");
            foreach (var d in group.Decisions)
            {
                var time = d.Candidate.Time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
                var status = d.Candidate.Complete ? string.Empty : " (partial)";
                var verdict = d.Keep ? "keep  " : "remove";
                var why = d.Keep ? "  " + string.Join(", ", d.Reasons) : string.Empty;
                output.Result($"  {verdict} {d.Candidate.Id[..8]}  {time}{status}{why}");
            }
        }

        var kept = groups.Sum(g => g.Kept.Count());
        var removed = groups.Sum(g => g.Removed.Count());
        output.Result(dryRun
            ? $"{kept} kept, {removed} would be removed (dry run: nothing removed)"
            : $"{kept} kept, {removed} removed");
    }
}
