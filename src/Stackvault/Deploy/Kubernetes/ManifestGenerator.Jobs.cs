using Stackvault.Configuration;
using Stackvault.Errors;

namespace Stackvault.Deploy.Kubernetes;

/// <summary>A CronJob per scheduled job, and an Indexed Job per bucket component.</summary>
public static partial class ManifestGenerator
{
    /// <summary>The longest a CronJob may run when its job sets no timeout.</summary>
    public static readonly TimeSpan DefaultJobDeadline = TimeSpan.FromHours(6);

    private static GeneratedObject CronJob(JobConfig job, StackvaultConfig config, ManifestOptions options)
    {
        var name = "stackvault-" + KubeName(job.Name);
        if (name.Length > 52 || !IsName(name))
        {
            throw new StackvaultException($"job {job.Name}: '{name}' is not a usable CronJob name (at most 52 characters)", ExitCode.Usage);
        }

        var labels = Tree.Map(("stackvault.io/job", KubeName(job.Name)));
        var deadline = Seconds((job.Timeout ?? DefaultJobDeadline) + TimeSpan.FromMinutes(10));
        var pod = PodSpec(config, options, Tree.List("backup", "--job", job.Name, "--config", ConfigPath), "Never");
        var body = Tree.Map(
            ("apiVersion", "batch/v1"),
            ("kind", "CronJob"),
            ("metadata", Tree.Metadata(name, options.Namespace, "backup", labels)),
            ("spec", Tree.Map(
                ("schedule", CronSchedule.From(job.Schedule!, job.Name)),
                ("timeZone", job.Schedule!.TimeZone),
                ("suspend", options.Scheduler == ManifestOptions.Daemon),
                ("concurrencyPolicy", "Forbid"),
                ("startingDeadlineSeconds", 600),
                ("successfulJobsHistoryLimit", 3),
                ("failedJobsHistoryLimit", 3),
                ("jobTemplate", Tree.Map(
                    ("metadata", Tree.Map(("labels", Tree.Metadata(name, null, "backup", labels)["labels"]))),
                    ("spec", Tree.Map(
                        ("backoffLimit", 1),
                        ("activeDeadlineSeconds", deadline),
                        ("ttlSecondsAfterFinished", 86400),
                        ("template", Tree.Map(
                            ("metadata", Tree.Map(("labels", Tree.Metadata(name, null, "backup", labels)["labels"]))),
                            ("spec", pod))))))))));
        return new($"cronjob-{KubeName(job.Name)}.yaml", body);
    }

    /// <summary>
    /// An Indexed Job (suspended: it starts when unsuspended) backing up one bucket in <c>--shards</c> parts, part
    /// <c>JOB_COMPLETION_INDEX</c> (0-based, as bucket --shard) of N in each pod. The values reach the shell as arguments, never as code.
    /// </summary>
    private static GeneratedObject ShardedBucketJob(BucketComponent bucket, StackvaultConfig config, ManifestOptions options)
    {
        var name = "stackvault-bucket-" + KubeName(bucket.Name);
        if (name.Length > 63 || !IsName(name))
        {
            throw new StackvaultException($"component {bucket.Name}: '{name}' is not a usable Job name", ExitCode.Usage);
        }

        var job = config.Jobs.Values.FirstOrDefault(j => j.Components.Contains(bucket.Name));
        var repository = job is null ? null : config.Repositories.GetValueOrDefault(job.Repository);
        List<object?> args = repository is null
            ? throw new StackvaultException($"component {bucket.Name}: no job backs it up, so no repository is known for its sharded backup", ExitCode.Usage)
            : Tree.List(
                "sh", "-c",
                "exec stackvault --repo \"$1\" bucket backup --source \"$2\" --layout \"$3\" --shard \"${JOB_COMPLETION_INDEX}/$4\"",
                "stackvault", repository.Url, bucket.Url, bucket.Layout, Text(options.Shards));
        if (repository.Password is { Kind: SecretSourceKind.File } password)
        {
            args[2] = ((string)args[2]!).Replace("--repo \"$1\"", $"--repo \"$1\" --password-file \"$5\"", StringComparison.Ordinal);
            args.Add(password.Source["file ".Length..]);
        }

        var labels = Tree.Map(("stackvault.io/bucket", KubeName(bucket.Name)));
        var pod = PodSpec(config, options, [], "Never", extraContainerFields: Tree.Map(("command", args)));
        ((Dictionary<string, object?>)((List<object?>)pod["containers"]!)[0]!).Remove("args");
        var body = Tree.Map(
            ("apiVersion", "batch/v1"),
            ("kind", "Job"),
            ("metadata", Tree.Metadata(name, options.Namespace, "bucket-backup", labels)),
            ("spec", Tree.Map(
                ("suspend", true),
                ("completionMode", "Indexed"),
                ("completions", options.Shards),
                ("parallelism", options.Shards),
                ("backoffLimit", options.Shards),
                ("activeDeadlineSeconds", Seconds((job!.Timeout ?? DefaultJobDeadline) + TimeSpan.FromMinutes(10))),
                ("ttlSecondsAfterFinished", 86400),
                ("template", Tree.Map(
                    ("metadata", Tree.Map(("labels", Tree.Metadata(name, null, "bucket-backup", labels)["labels"]))),
                    ("spec", pod))))));
        return new($"job-bucket-{KubeName(bucket.Name)}.yaml", body);
    }
}
