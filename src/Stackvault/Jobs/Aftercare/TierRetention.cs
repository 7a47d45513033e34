using System.Globalization;
using Stackvault.Configuration;

namespace Stackvault.Jobs.Aftercare;

/// <summary>
/// Which retention applies to a job's snapshots in one repository (docs/tiers.md): in a <c>copy_to</c> tier, the
/// tier repository's own <c>retention</c> (hot, warm and cold tiers keep different spans), else the job's; in the job's
/// own repository, the job's <c>retention</c>, else the repository's. <see cref="Source"/> says which one it is.
/// </summary>
public sealed record TierRetention(string Repository, RetentionConfig? Retention, string Source)
{
    /// <summary>The retention of <paramref name="job"/>'s snapshots in the repository named <paramref name="repository"/>.</summary>
    public static TierRetention For(StackvaultConfig config, JobConfig job, string repository)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(job);
        var own = config.Repositories.GetValueOrDefault(repository)?.Retention;
        var home = repository == job.Repository;
        var (retention, source) = home
            ? job.Retention is not null ? (job.Retention, $"job {job.Name}") : (own, $"repository {repository}")
            : own is not null ? (own, $"repository {repository}") : (job.Retention, $"job {job.Name}");
        return new TierRetention(repository, retention, retention is null ? "none" : source);
    }

    /// <summary>Every repository of the job, its own first, then its <c>copy_to</c> tiers in order.</summary>
    public static IReadOnlyList<TierRetention> All(StackvaultConfig config, JobConfig job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return [For(config, job, job.Repository), .. job.CopyTo.Select(t => For(config, job, t))];
    }

    /// <summary>True when the job's snapshots have a retention somewhere (its own or a repository's).</summary>
    public static bool Any(StackvaultConfig config, JobConfig job) => All(config, job).Any(t => t.Retention is not null);

    /// <summary>The rules in config words, e.g. <c>keep_last 3, keep_daily 7, keep_within 30d</c>.</summary>
    public static string Describe(RetentionConfig? retention)
    {
        if (retention is null)
        {
            return "no retention";
        }

        var parts = new List<string>();
        void Add(string name, int? value)
        {
            if (value is > 0)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"{name} {value}"));
            }
        }

        Add("keep_last", retention.KeepLast);
        Add("keep_hourly", retention.KeepHourly);
        Add("keep_daily", retention.KeepDaily);
        Add("keep_weekly", retention.KeepWeekly);
        Add("keep_monthly", retention.KeepMonthly);
        Add("keep_yearly", retention.KeepYearly);
        if (retention.KeepWithin is { } within)
        {
            parts.Add("keep_within " + DurationFormat.Format(within));
        }

        return string.Join(", ", parts);
    }

    /// <summary><see cref="Source"/> and the rules: <c>repository cold: keep_monthly 12, keep_yearly 7</c>.</summary>
    public override string ToString() => $"{Source}: {Describe(Retention)}";
}
