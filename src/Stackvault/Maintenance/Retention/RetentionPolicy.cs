namespace Stackvault.Maintenance.Retention;

/// <summary>
/// Which snapshots of a group to keep (restic semantics). Each bucket rule keeps the newest snapshot of each of its
/// newest N buckets (hour, day, ISO week, month, year of the snapshot's recorded time in UTC); keep-last keeps the
/// newest N; keep-within keeps every snapshot no older than the duration before the group's newest snapshot;
/// keep-tag keeps every snapshot carrying any of the tags. A snapshot is kept when any rule keeps it.
/// </summary>
public sealed record RetentionPolicy
{
    public int Last { get; init; }

    public int Hourly { get; init; }

    public int Daily { get; init; }

    public int Weekly { get; init; }

    public int Monthly { get; init; }

    public int Yearly { get; init; }

    public KeepDuration? Within { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>True when no rule keeps anything: forget refuses such a policy instead of deleting everything.</summary>
    public bool IsEmpty => Last <= 0 && Hourly <= 0 && Daily <= 0 && Weekly <= 0 && Monthly <= 0 && Yearly <= 0
        && (Within is null || Within.Value.IsZero) && Tags.Count == 0;

    /// <summary>The bucket rules in the order their reasons are reported.</summary>
    internal IEnumerable<(string Name, int Count, Func<DateTime, long> Bucket)> BucketRules()
    {
        yield return ("last", Last, _ => 0); // every snapshot is a bucket of its own (handled by the evaluator)
        yield return ("hourly", Hourly, t => (((t.Year * 100L) + t.Month) * 100L + t.Day) * 100L + t.Hour);
        yield return ("daily", Daily, t => (((t.Year * 100L) + t.Month) * 100L) + t.Day);
        yield return ("weekly", Weekly, t => (System.Globalization.ISOWeek.GetYear(t) * 100L) + System.Globalization.ISOWeek.GetWeekOfYear(t));
        yield return ("monthly", Monthly, t => (t.Year * 100L) + t.Month);
        yield return ("yearly", Yearly, t => t.Year);
    }
}
