namespace Stackvault.Deploy.Kubernetes;

/// <summary>
/// What <c>stackvault k8s manifests</c> generates for: the namespace and image, which scheduler runs the jobs
/// (<see cref="Daemon"/>: the daemon Deployment, CronJobs suspended as manual-run templates; <see cref="CronJob"/>:
/// the CronJobs, no daemon), the Secret the pods read (never its values), the dashboard and alert rule files
/// (omitted when null), the shard count of bucket backups, and the config file's text as the ConfigMap holds it.
/// </summary>
public sealed record ManifestOptions
{
    public const string Daemon = "daemon";

    public const string CronJob = "cronjob";

    public const string DefaultImage = "ghcr.io/stackvault/stackvault:latest";

    public string Namespace { get; init; } = "stackvault";

    public string Image { get; init; } = DefaultImage;

    public string Scheduler { get; init; } = Daemon;

    public string SecretName { get; init; } = "stackvault-secrets";

    public string? DashboardJson { get; init; }

    public string? AlertRulesYaml { get; init; }

    public int Shards { get; init; } = 4;

    public string RepositorySize { get; init; } = "50Gi";

    public required string ConfigText { get; init; }
}
