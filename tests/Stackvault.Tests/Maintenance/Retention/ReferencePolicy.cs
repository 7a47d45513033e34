using System.Globalization;
using Stackvault.Maintenance.Retention;

namespace Stackvault.Tests.Maintenance.Retention;

/// <summary>
/// An independent, deliberately naive statement of the retention rules: for each rule, group the newest-first list
/// by its bucket label (a formatted string) and keep the first snapshot of the first N groups.
/// </summary>
internal static class ReferencePolicy
{
    public static HashSet<string> Kept(IReadOnlyList<RetentionCandidate> snapshots, RetentionPolicy policy, bool allowEmpty)
    {
        var newestFirst = snapshots.OrderByDescending(s => s.Time).ThenBy(s => s.Id, StringComparer.Ordinal).ToList();
        var keep = new HashSet<string>(newestFirst.Take(policy.Last).Select(s => s.Id));
        var rules = new (int Count, Func<DateTime, string> Label)[]
        {
            (policy.Hourly, t => t.ToString("yyyy-MM-dd HH", CultureInfo.InvariantCulture)),
            (policy.Daily, t => t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            (policy.Weekly, t => $"{ISOWeek.GetYear(t)}-W{ISOWeek.GetWeekOfYear(t):00}"),
            (policy.Monthly, t => t.ToString("yyyy-MM", CultureInfo.InvariantCulture)),
            (policy.Yearly, t => t.ToString("yyyy", CultureInfo.InvariantCulture)),
        };
        foreach (var (count, label) in rules)
        {
            keep.UnionWith(newestFirst.GroupBy(s => label(s.Time.UtcDateTime)).Take(count).Select(g => g.First().Id));
        }

        if (policy.Within is { IsZero: false } within && newestFirst.Count > 0)
        {
            var newest = newestFirst[0].Time;
            var cutoff = newest.AddYears(-within.Years).AddMonths(-within.Months).AddDays(-within.Days).AddHours(-within.Hours);
            keep.UnionWith(newestFirst.Where(s => s.Time >= cutoff).Select(s => s.Id));
        }

        keep.UnionWith(newestFirst.Where(s => s.Tags.Any(policy.Tags.Contains)).Select(s => s.Id));
        if (!allowEmpty && !newestFirst.Any(s => s.Complete && keep.Contains(s.Id)) && newestFirst.FirstOrDefault(s => s.Complete) is { } last)
        {
            keep.Add(last.Id);
        }

        return keep;
    }
}
