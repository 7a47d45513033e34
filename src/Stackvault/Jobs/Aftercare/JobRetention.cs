using Stackvault.Configuration;
using Stackvault.Maintenance;
using Stackvault.Maintenance.Retention;
using Stackvault.Repository;
using Stackvault.Repository.Model;

namespace Stackvault.Jobs.Aftercare;

/// <summary>
/// The pure part of a job's retention: which of the job's snapshots (tagged <c>job:NAME</c>, grouped by host and
/// paths like <c>forget</c>) its <see cref="RetentionConfig"/> keeps. On top of <see cref="RetentionEvaluator"/>:
/// the newest complete snapshot of every group is always kept ("last complete snapshot"), and so is the snapshot
/// named by <c>protect</c> (the run's own, matched by id or by <see cref="Snapshot.Original"/> in a tier).
/// </summary>
public static class JobRetention
{
    public const string ProtectedReason = "this run";

    /// <summary>The tag every snapshot of a job run carries.</summary>
    public static string JobTag(string jobName) => "job:" + jobName;

    /// <summary>The policy of a job's <c>retention:</c>; <c>keep_within</c> is rounded up to whole hours.</summary>
    public static RetentionPolicy PolicyOf(RetentionConfig retention)
    {
        ArgumentNullException.ThrowIfNull(retention);
        KeepDuration? within = null;
        if (retention.KeepWithin is { } span && span > TimeSpan.Zero)
        {
            var days = (int)Math.Min(span.TotalDays, 99_999);
            var hours = (int)Math.Ceiling((span - TimeSpan.FromDays(days)).TotalHours);
            within = new KeepDuration(0, 0, days, hours);
        }

        return new RetentionPolicy
        {
            Last = retention.KeepLast ?? 0, Hourly = retention.KeepHourly ?? 0, Daily = retention.KeepDaily ?? 0,
            Weekly = retention.KeepWeekly ?? 0, Monthly = retention.KeepMonthly ?? 0, Yearly = retention.KeepYearly ?? 0, Within = within,
        };
    }

    /// <summary>Decisions for every snapshot of the job, per group.</summary>
    public static IReadOnlyList<ForgetGroup> Plan(IEnumerable<(ObjectId Id, Snapshot Snapshot)> snapshots, string jobName, RetentionPolicy policy, string? protect)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var tag = JobTag(jobName);
        var job = snapshots.Where(s => s.Snapshot.Tags.Contains(tag, StringComparer.Ordinal)).ToList();
        var byId = job.ToDictionary(s => s.Id.ToString(), s => s.Snapshot, StringComparer.Ordinal);
        return [.. job
            .GroupBy(s => SnapshotGroupKey.Of(s.Snapshot, GroupBy.Host | GroupBy.Paths))
            .Select(g => new ForgetGroup(g.Key, Guard(RetentionEvaluator.Evaluate(
                g.Select(s => new RetentionCandidate(s.Id.ToString(), s.Snapshot.Time, s.Snapshot.Tags, s.Snapshot.Status == SnapshotStatus.Complete)), policy, allowEmpty: false),
                id => protect is not null && (id == protect || byId[id].Original?.ToString() == protect))))
            .OrderBy(g => g.Key.ToString(), StringComparer.Ordinal)];
    }

    private static List<RetentionDecision> Guard(IReadOnlyList<RetentionDecision> decisions, Func<string, bool> isProtected)
    {
        var newestComplete = decisions.FirstOrDefault(d => d.Candidate.Complete)?.Candidate.Id; // decisions are newest first
        return [.. decisions.Select(d =>
        {
            var reasons = d.Reasons.ToList();
            if (d.Candidate.Id == newestComplete && reasons.Count == 0)
            {
                reasons.Add(RetentionEvaluator.LastCompleteReason);
            }

            if (reasons.Count == 0 && isProtected(d.Candidate.Id))
            {
                reasons.Add(ProtectedReason);
            }

            return reasons.Count == d.Reasons.Count ? d : d with { Reasons = reasons };
        })];
    }
}
