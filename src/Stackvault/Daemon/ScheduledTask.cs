using Stackvault.Configuration;
using Stackvault.Jobs.Scheduling;

namespace Stackvault.Daemon;

/// <summary>One thing the daemon runs on a schedule: a job's backup, its verify, or its drill.</summary>
public sealed record ScheduledTask(string Kind, JobConfig Job, Schedule Schedule, string RepositoryKey)
{
    public const string Backup = "backup";
    public const string Verify = "verify";
    public const string Drill = "drill";

    /// <summary>The key for overlap prevention: one run of each kind per job at a time.</summary>
    public string Key => $"{Kind}:{Job.Name}";

    public static IReadOnlyList<ScheduledTask> From(Configuration.StackvaultConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var tasks = new List<ScheduledTask>();
        foreach (var job in config.Jobs.Values)
        {
            var repository = config.Repositories.TryGetValue(job.Repository, out var entry) ? entry.Url : job.Repository;
            if (job.Schedule is { } schedule)
            {
                tasks.Add(new ScheduledTask(Backup, job, Schedule.From(schedule), repository));
            }

            if (job.Verify is { } verify)
            {
                tasks.Add(new ScheduledTask(Verify, job, Schedule.From(verify.Schedule), repository));
            }

            if (job.Drill is { } drill)
            {
                tasks.Add(new ScheduledTask(Drill, job, Schedule.From(drill.Schedule), repository));
            }
        }

        return tasks;
    }
}
