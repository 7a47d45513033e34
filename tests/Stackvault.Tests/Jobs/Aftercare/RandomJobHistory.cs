using System.Security.Cryptography;
using Stackvault.Jobs.Aftercare;
using Stackvault.Maintenance.Retention;
using Stackvault.Repository;
using Stackvault.Repository.Model;
using Stackvault.Tests.Maintenance.Retention;

namespace Stackvault.Tests.Jobs.Aftercare;

/// <summary>Random histories of a job's snapshots (two hosts, two path sets, some partial, some of other jobs) and what retention must keep.</summary>
internal static class RandomJobHistory
{
    private static readonly string JobTag = JobRetention.JobTag(AftercareSetup.JobName);

    public static List<(ObjectId Id, Snapshot Snapshot)> Build(RandomHistory history, Random random, out List<RetentionCandidate> candidates, int maxCount = 60)
    {
        candidates = history.Snapshots(maxCount);
        return [.. candidates.Select(c => (new ObjectId(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(c.Id))), new Snapshot
        {
            Time = c.Time,
            Hostname = random.Next(4) == 0 ? "h2" : "h1",
            Paths = random.Next(5) == 0 ? ["/pg"] : ["/etc", "/prom"],
            Tags = random.Next(6) == 0 ? ["job:other"] : [JobTag, .. c.Tags],
            Status = c.Complete ? SnapshotStatus.Complete : SnapshotStatus.Partial,
        }))];
    }

    public static (ObjectId Id, Snapshot Snapshot) Make(DateTimeOffset time, bool complete) =>
        (new ObjectId(RandomNumberGenerator.GetBytes(32)), new Snapshot
        {
            Time = time, Hostname = "h1", Paths = ["/etc"], Tags = [JobTag], Status = complete ? SnapshotStatus.Complete : SnapshotStatus.Partial,
        });

    public static IEnumerable<(ObjectId Id, Snapshot Snapshot)> JobSnapshots(IEnumerable<(ObjectId Id, Snapshot Snapshot)> all) =>
        all.Where(s => s.Snapshot.Tags.Contains(JobTag));

    /// <summary>The reference: per group (host, paths) the naive policy, plus the group's newest complete snapshot, plus the protected one.</summary>
    public static HashSet<string> ExpectedKept(IEnumerable<(ObjectId Id, Snapshot Snapshot)> all, RetentionPolicy policy, string? protect)
    {
        var kept = new HashSet<string>();
        foreach (var group in JobSnapshots(all).GroupBy(s => (s.Snapshot.Hostname, string.Join('\n', s.Snapshot.Paths))))
        {
            var candidates = group.Select(s => new RetentionCandidate(s.Id.ToString(), s.Snapshot.Time, s.Snapshot.Tags, s.Snapshot.Status == SnapshotStatus.Complete)).ToList();
            kept.UnionWith(ReferencePolicy.Kept(candidates, policy, allowEmpty: false));
            var newestComplete = candidates.Where(c => c.Complete).OrderByDescending(c => c.Time).ThenBy(c => c.Id, StringComparer.Ordinal).FirstOrDefault();
            if (newestComplete is not null)
            {
                kept.Add(newestComplete.Id);
            }

            kept.UnionWith(group.Where(s => protect is not null && (s.Id.ToString() == protect || s.Snapshot.Original?.ToString() == protect)).Select(s => s.Id.ToString()));
        }

        return kept;
    }
}
