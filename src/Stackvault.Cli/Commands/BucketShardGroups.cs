using System.Globalization;
using Stackvault.Buckets;
using Stackvault.Cli.Output;
using Stackvault.Repository;
using Stackvault.Repository.Model;

namespace Stackvault.Cli.Commands;

/// <summary>
/// For <c>snapshots</c>: sharded bucket backups grouped by bucket, component name and shard count, with the latest
/// snapshot of each shard (or none yet), so an operator sees at a glance whether all N workers have a run.
/// </summary>
internal static class BucketShardGroups
{
    public static List<(string Source, string Name, int Count, (ObjectId Id, Snapshot Snapshot)?[] Latest)> Of(IEnumerable<(ObjectId Id, Snapshot Snapshot)> snapshots)
    {
        var groups = new Dictionary<(string, string, int), (ObjectId, Snapshot)?[]>();
        foreach (var (id, snapshot) in snapshots.OrderBy(s => s.Snapshot.Time))
        {
            var tag = snapshot.Tags.FirstOrDefault(t => t.StartsWith(BucketPlan.ShardTagPrefix, StringComparison.Ordinal));
            var section = snapshot.Components?.FirstOrDefault(c => c.Type == Configuration.BucketComponent.TypeName);
            if (tag is null || section is null)
            {
                continue;
            }

            BucketShard shard;
            try
            {
                shard = BucketShard.Parse(tag[BucketPlan.ShardTagPrefix.Length..]);
            }
            catch (Errors.StackvaultException)
            {
                continue; // a hand-made tag that is not I/N
            }

            var key = (section.Source ?? "?", section.Name, shard.Count);
            if (!groups.TryGetValue(key, out var latest))
            {
                groups[key] = latest = new (ObjectId, Snapshot)?[shard.Count];
            }

            latest[shard.Index] = (id, snapshot);
        }

        return [.. groups.Select(g => (g.Key.Item1, g.Key.Item2, g.Key.Item3, g.Value))];
    }

    public static List<BucketShardGroupJson> Json(IEnumerable<(ObjectId Id, Snapshot Snapshot)> snapshots) =>
        [.. Of(snapshots).Select(g => new BucketShardGroupJson(g.Source, g.Name, g.Count, g.Latest.Select(s => s?.Id.ToString()), g.Latest.All(s => s is not null)))];

    public static void Write(CliOutput output, IEnumerable<(ObjectId Id, Snapshot Snapshot)> snapshots)
    {
        foreach (var (source, name, count, latest) in Of(snapshots))
        {
            var parts = latest.Select((s, i) => $"{i}/{count} " + (s is { } x ? $"{x.Id.ToShortString()} {x.Snapshot.Time.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} {x.Snapshot.Status.Name()}" : "none"));
            output.Result($"bucket {source} ({name}), {count} shards: {string.Join("; ", parts)}");
        }
    }
}

/// <summary>A group of sharded bucket backups in <c>snapshots --bucket-groups --json</c>: the latest snapshot of each shard (null: none yet).</summary>
internal sealed record BucketShardGroupJson(string Source, string Name, int Shards, IEnumerable<string?> Latest, bool Complete);
