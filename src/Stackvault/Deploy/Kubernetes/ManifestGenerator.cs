using System.Text;
using System.Text.RegularExpressions;
using Stackvault.Configuration;
using Stackvault.Errors;

namespace Stackvault.Deploy.Kubernetes;

/// <summary>
/// The Kubernetes deployment of a <c>stackvault.yaml</c>: a ConfigMap with the config, a ServiceAccount with a
/// Role/RoleBinding per namespace the kubernetes components touch (only the verbs they need; no token mounted when
/// none), a CronJob per scheduled job, the daemon Deployment with its metrics Service, ServiceMonitor and
/// PrometheusRule, the Grafana dashboard ConfigMap, PVCs for local-path repositories and the daemon's state, and an
/// Indexed Job per bucket component. Secret values never: pods read the named Secret as env and files.
/// </summary>
public static partial class ManifestGenerator
{
    public const string ConfigDirectory = "/etc/stackvault/config";
    public const string ConfigPath = ConfigDirectory + "/stackvault.yaml";
    public const string SecretsDirectory = "/etc/stackvault/secrets";
    public const string StateDirectory = "/var/lib/stackvault";
    public const int MetricsPort = 9464;
    public const string Name = "stackvault";

    private const int MaxConfigMapBytes = 1024 * 1024;

    public static IReadOnlyList<GeneratedObject> Generate(StackvaultConfig config, ManifestOptions options)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(options);
        RefuseInlineSecrets(config);
        if (!IsName(options.Namespace) || options.Namespace.Length > 63)
        {
            throw new UsageException($"--namespace {options.Namespace}: not a Kubernetes namespace name");
        }

        if (options.Shards is < 1 or > 1000)
        {
            throw new UsageException("--shards must be between 1 and 1000");
        }

        var ns = options.Namespace;
        var objects = new List<GeneratedObject>
        {
            new("serviceaccount.yaml", Tree.Map(("apiVersion", "v1"), ("kind", "ServiceAccount"), ("metadata", Tree.Metadata(Name, ns, "backup")),
                ("automountServiceAccountToken", config.Components.Values.OfType<KubernetesComponent>().Any()))),
            ConfigMap("configmap-config.yaml", "stackvault-config", ns, "config", null, "stackvault.yaml", options.ConfigText),
        };
        objects.AddRange(Rbac(config, ns));
        objects.AddRange(RepositoryClaims(config, options));
        foreach (var job in config.Jobs.Values.Where(j => j.Schedule is not null))
        {
            objects.Add(CronJob(job, config, options));
        }

        foreach (var bucket in config.Components.Values.OfType<BucketComponent>())
        {
            objects.Add(ShardedBucketJob(bucket, config, options));
        }

        if (options.Scheduler == ManifestOptions.Daemon)
        {
            objects.AddRange(Daemon(config, options));
        }

        objects.AddRange(Monitoring(options));
        return objects;
    }

    /// <summary>A name for Kubernetes from a config name: lower case, other characters as '-'.</summary>
    public static string KubeName(string name) => NotName().Replace(name.ToLowerInvariant(), "-").Trim('-', '.');

    internal static bool IsName(string text) => text.Length is > 0 and <= 253 && DnsName().IsMatch(text);

    private static GeneratedObject ConfigMap(string file, string name, string ns, string component, Dictionary<string, object?>? labels, string key, string text)
    {
        if (Encoding.UTF8.GetByteCount(text) > MaxConfigMapBytes)
        {
            throw new UsageException($"{key} is larger than a ConfigMap may hold (1 MiB)");
        }

        return new(file, Tree.Map(("apiVersion", "v1"), ("kind", "ConfigMap"), ("metadata", Tree.Metadata(name, ns, component, labels)),
            ("data", Tree.Map((key, text)))));
    }

    private static void RefuseInlineSecrets(StackvaultConfig config)
    {
        var inline = config.Repositories.Values.Where(r => r.Password?.Kind == SecretSourceKind.Inline).Select(r => $"repositories.{r.Name}.password")
            .Concat(config.Components.Values.SelectMany(c => Components.EngineCatalog.Of(c).Secrets(c)
                .Where(s => s.Value?.Kind == SecretSourceKind.Inline).Select(s => $"components.{c.Name}.{s.Key}")))
            .ToList();
        if (inline.Count > 0)
        {
            throw new UsageException(
                $"the config holds inline secrets ({string.Join(", ", inline)}); a ConfigMap must not: use *_file under {SecretsDirectory} or environment variables from the Secret");
        }
    }

    [GeneratedRegex("[^a-z0-9.-]+")]
    private static partial Regex NotName();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex DnsName();
}
