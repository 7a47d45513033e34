namespace Stackvault.Maintenance.Retention;

/// <summary>
/// Applies a <see cref="RetentionPolicy"/> to the snapshots of one group. Pure: no I/O, no clock. Snapshots are
/// sorted newest first (ties by id); each bucket rule walks that order and keeps a snapshot whenever its bucket
/// differs from the previous kept bucket of that rule, until the rule has kept N. Unless <c>allowEmpty</c>, the
/// newest complete snapshot is kept when no rule keeps any complete one (partial snapshots never count).
/// </summary>
public static class RetentionEvaluator
{
    public const string LastCompleteReason = "last complete snapshot";

    /// <summary>Decisions for every candidate, newest first.</summary>
    public static IReadOnlyList<RetentionDecision> Evaluate(IEnumerable<RetentionCandidate> group, RetentionPolicy policy, bool allowEmpty)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var sorted = Order(group);
        var reasons = sorted.Select(_ => new List<string>()).ToArray();
        foreach (var (name, count, bucket) in policy.BucketRules())
        {
            var kept = 0;
            long? last = null;
            for (var i = 0; i < sorted.Count && kept < count; i++)
            {
                var key = name == "last" ? i : bucket(sorted[i].Time.UtcDateTime);
                if (key != last)
                {
                    last = key;
                    kept++;
                    reasons[i].Add($"{name} {kept}");
                }
            }
        }

        if (policy.Within is { IsZero: false } within && sorted.Count > 0)
        {
            var cutoff = within.Before(sorted[0].Time);
            for (var i = 0; i < sorted.Count && sorted[i].Time >= cutoff; i++)
            {
                reasons[i].Add($"within {within}");
            }
        }

        for (var i = 0; i < sorted.Count; i++)
        {
            foreach (var tag in policy.Tags.Where(t => sorted[i].Tags.Contains(t, StringComparer.Ordinal)))
            {
                reasons[i].Add($"tag {tag}");
            }
        }

        if (!allowEmpty && !Enumerable.Range(0, sorted.Count).Any(i => sorted[i].Complete && reasons[i].Count > 0))
        {
            var newestComplete = sorted.FindIndex(c => c.Complete);
            if (newestComplete >= 0)
            {
                reasons[newestComplete].Add(LastCompleteReason);
            }
        }

        return [.. sorted.Select((c, i) => new RetentionDecision(c, reasons[i]))];
    }

    /// <summary>Newest first; equal times by id, so the order (and the verdict) never depends on listing order.</summary>
    public static List<RetentionCandidate> Order(IEnumerable<RetentionCandidate> group) =>
        [.. group.OrderByDescending(c => c.Time).ThenBy(c => c.Id, StringComparer.Ordinal)];
}
