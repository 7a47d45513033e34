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
            throw new UsageException($"job {job.Name}: '{name}' is not a usable CronJob name (at most 52 characters)");
        }

        var labels = Tree.Map(("stackvault.io/job", KubeName(job.Name)));
        var deadline = Seconds((job.Timeout ?? DefaultJobDeadline) + TimeSpan.FromMinutes(10));
        var pod = PodSpec(config, options, Tree.List("backup", "--job", job.Name, "--config", ConfigPath), "Never", hostname: Name);
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
                        ("podFailurePolicy", PodFailurePolicy(FinalExitCodes)),
                        ("activeDeadlineSeconds", deadline),
                        ("ttlSecondsAfterFinished", 86400),
                        ("template", Tree.Map(
                            ("metadata", Tree.Map(("labels", Tree.Metadata(name, null, "backup", labels)["labels"]))),
                            ("spec", pod))))))))));
        return new($"cronjob-{KubeName(job.Name)}.yaml", body);
    }

    /// <summary>
    /// Exits a retry cannot change fail the Job at once (a bad config or option, a partial snapshot already saved, no
    /// repository, a wrong password); a pod evicted by a drain or preemption is retried without counting as a failure.
    /// A lock held elsewhere (11) or any other failure gets the retry.
    /// </summary>
    private static Dictionary<string, object?> PodFailurePolicy(IEnumerable<ExitCode> final) => Tree.Map(("rules", Tree.List(
        Tree.Map(("action", "FailJob"), ("onExitCodes", Tree.Map(
            ("containerName", "stackvault"),
            ("operator", "In"),
            ("values", final.Select(c => (object?)(int)c).ToList())))),
        Tree.Map(("action", "Ignore"), ("onPodConditions", Tree.List(Tree.Map(("type", "DisruptionTarget"), ("status", "True"))))))));

    /// <summary>The exit codes after which running the same backup again cannot succeed.</summary>
    public static readonly IReadOnlyList<ExitCode> FinalExitCodes = [ExitCode.Usage, ExitCode.Partial, ExitCode.RepositoryNotFound, ExitCode.WrongPassword];

    /// <summary>
    /// An Indexed Job (suspended: it starts when unsuspended) backing up one bucket in <c>--shards</c> parts, part
    /// <c>JOB_COMPLETION_INDEX</c> (0-based, as bucket --shard) of N in each pod. The values reach the shell as arguments
    /// (<c>"$@"</c>), never as code.
    /// </summary>
    private static GeneratedObject ShardedBucketJob(BucketComponent bucket, StackvaultConfig config, ManifestOptions options)
    {
        var name = "stackvault-bucket-" + KubeName(bucket.Name);
        if (name.Length > 63 || !IsName(name))
        {
            throw new UsageException($"component {bucket.Name}: '{name}' is not a usable Job name");
        }

        var job = config.Jobs.Values.FirstOrDefault(j => j.Components.Contains(bucket.Name))
            ?? throw new UsageException($"component {bucket.Name}: no job backs it up, so no repository is known for its sharded backup");
        var repository = config.Repositories[job.Repository];

        // The component's settings as the job would use them (its name, tenants and kept kinds), so the shards'
        // snapshots hold the same tree and find their parents; the pod's host name is "<job>-<index>", stable per shard.
        var command = Tree.List("--repo", repository.Url);
        if (repository.Password is { Kind: SecretSourceKind.File } password)
        {
            command.AddRange(["--password-file", password.Source["file ".Length..]]);
        }

        command.AddRange(["bucket", "backup", "--source", bucket.Url, "--layout", bucket.Layout.Name, "--name", bucket.Name]);
        command.AddRange(bucket.Tenants.SelectMany(t => new object?[] { "--tenant", t }));
        command.AddRange(bucket.Keep.SelectMany(k => new object?[] { "--keep", k }));
        List<object?> args = Tree.List("sh", "-c", "shards=\"$1\"; shift; exec stackvault \"$@\" --shard \"${JOB_COMPLETION_INDEX}/${shards}\"", "stackvault", Text(options.Shards));
        args.AddRange(command);

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
                // a partial shard (a corrupt block) must not stop the other shards: it is retried like a failure
                ("podFailurePolicy", PodFailurePolicy(FinalExitCodes.Where(c => c != ExitCode.Partial))),
                ("activeDeadlineSeconds", Seconds((job.Timeout ?? DefaultJobDeadline) + TimeSpan.FromMinutes(10))),
                ("ttlSecondsAfterFinished", 86400),
                ("template", Tree.Map(
                    ("metadata", Tree.Map(("labels", Tree.Metadata(name, null, "bucket-backup", labels)["labels"]))),
                    ("spec", pod))))));
        return new($"job-bucket-{KubeName(bucket.Name)}.yaml", body);
    }
}
