using Stackvault.Configuration;

namespace Stackvault.Deploy.Kubernetes;

/// <summary>The daemon (<c>stackvault run</c>) as a one-replica Deployment, its metrics Service, the RBAC objects.</summary>
public static partial class ManifestGenerator
{
    /// <summary>The daemon's <c>--shutdown-grace</c>: running jobs may finish this long after SIGTERM.</summary>
    public const int ShutdownGraceSeconds = 30;

    private static readonly Dictionary<string, object?> DaemonSelector = Tree.Map(("app.kubernetes.io/name", "stackvault"), ("app.kubernetes.io/component", "daemon"));

    private static IEnumerable<GeneratedObject> Daemon(StackvaultConfig config, ManifestOptions options)
    {
        var probe = Tree.Map(("httpGet", Tree.Map(("path", "/healthz"), ("port", "metrics"))), ("periodSeconds", 30), ("timeoutSeconds", 5));
        var pod = PodSpec(
            config,
            options,
            Tree.List("run", "--config", ConfigPath, "--listen", $"0.0.0.0:{MetricsPort}", "--state-dir", StateDirectory, "--shutdown-grace", Text(ShutdownGraceSeconds)),
            "Always",
            state: true,
            hostname: Name,
            extraContainerFields: Tree.Map(
                ("ports", Tree.List(Tree.Map(("name", "metrics"), ("containerPort", MetricsPort), ("protocol", "TCP")))),
                ("livenessProbe", probe),
                ("readinessProbe", probe)));
        // the kubelet's SIGKILL comes after the daemon's own grace, so cancelled jobs can release their locks
        pod["terminationGracePeriodSeconds"] = ShutdownGraceSeconds + 30;
        yield return new("deployment-daemon.yaml", Tree.Map(
            ("apiVersion", "apps/v1"),
            ("kind", "Deployment"),
            ("metadata", Tree.Metadata(Name, options.Namespace, "daemon")),
            ("spec", Tree.Map(
                ("replicas", 1),
                ("strategy", Tree.Map(("type", "Recreate"))),
                ("selector", Tree.Map(("matchLabels", DaemonSelector))),
                ("template", Tree.Map(
                    ("metadata", Tree.Map(("labels", Tree.Metadata(Name, null, "daemon")["labels"]))),
                    ("spec", pod)))))));
        yield return new("service-metrics.yaml", Tree.Map(
            ("apiVersion", "v1"),
            ("kind", "Service"),
            ("metadata", Tree.Metadata("stackvault-metrics", options.Namespace, "daemon")),
            ("spec", Tree.Map(
                ("selector", DaemonSelector),
                ("ports", Tree.List(Tree.Map(("name", "metrics"), ("port", MetricsPort), ("targetPort", "metrics"), ("protocol", "TCP"))))))));
        yield return new("servicemonitor.yaml", Tree.Map(
            ("apiVersion", "monitoring.coreos.com/v1"),
            ("kind", "ServiceMonitor"),
            ("metadata", Tree.Metadata(Name, options.Namespace, "daemon")),
            ("spec", Tree.Map(
                ("selector", Tree.Map(("matchLabels", DaemonSelector))),
                // honorLabels: the metrics' `job` label is the Stackvault job, which the rules and dashboard use
                ("endpoints", Tree.List(Tree.Map(("port", "metrics"), ("path", "/metrics"), ("interval", "30s"), ("honorLabels", true))))))));
    }

    private static IEnumerable<GeneratedObject> Rbac(StackvaultConfig config, string ns)
    {
        foreach (var (target, rules) in RbacRules.For(config.Components.Values.OfType<KubernetesComponent>()))
        {
            var suffix = target == ns ? string.Empty : "-" + target;
            yield return new($"role{suffix}.yaml", Tree.Map(
                ("apiVersion", "rbac.authorization.k8s.io/v1"),
                ("kind", "Role"),
                ("metadata", Tree.Metadata(Name, target, "backup")),
                ("rules", rules.Select(r => (object?)r.ToTree()).ToList())));
            yield return new($"rolebinding{suffix}.yaml", Tree.Map(
                ("apiVersion", "rbac.authorization.k8s.io/v1"),
                ("kind", "RoleBinding"),
                ("metadata", Tree.Metadata(Name, target, "backup")),
                ("roleRef", Tree.Map(("apiGroup", "rbac.authorization.k8s.io"), ("kind", "Role"), ("name", Name))),
                ("subjects", Tree.List(Tree.Map(("kind", "ServiceAccount"), ("name", Name), ("namespace", ns))))));
        }
    }
}
