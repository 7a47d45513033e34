using System.Globalization;
using Stackvault.Configuration;

namespace Stackvault.Deploy.Kubernetes;

/// <summary>The pod template every Stackvault pod shares: non-root, read-only root filesystem, no privileges.</summary>
public static partial class ManifestGenerator
{
    /// <summary>
    /// <paramref name="hostname"/>: the pod's host name, which snapshots record. Without it each CronJob run and each
    /// daemon pod has a new one, and a job's retention (grouped by host and paths) would never prune anything.
    /// </summary>
    private static Dictionary<string, object?> PodSpec(
        StackvaultConfig config, ManifestOptions options, List<object?> args, string restartPolicy, bool state = false, string? hostname = null, Dictionary<string, object?>? extraContainerFields = null)
    {
        var mounts = Tree.List(
            Tree.Map(("name", "config"), ("mountPath", ConfigDirectory), ("readOnly", true)),
            Tree.Map(("name", "secrets"), ("mountPath", SecretsDirectory), ("readOnly", true)),
            Tree.Map(("name", "tmp"), ("mountPath", "/tmp")));
        var volumes = Tree.List(
            Tree.Map(("name", "config"), ("configMap", Tree.Map(("name", "stackvault-config")))),
            Tree.Map(("name", "secrets"), ("secret", Tree.Map(("secretName", options.SecretName), ("optional", true)))),
            Tree.Map(("name", "tmp"), ("emptyDir", Tree.Map(("sizeLimit", "2Gi")))));
        foreach (var repository in LocalRepositories(config))
        {
            var volume = "repo-" + KubeName(repository.Name);
            mounts.Add(Tree.Map(("name", volume), ("mountPath", repository.Url)));
            volumes.Add(Tree.Map(("name", volume), ("persistentVolumeClaim", Tree.Map(("claimName", "stackvault-" + volume)))));
        }

        if (state)
        {
            mounts.Add(Tree.Map(("name", "state"), ("mountPath", StateDirectory)));
            volumes.Add(Tree.Map(("name", "state"), ("persistentVolumeClaim", Tree.Map(("claimName", "stackvault-state")))));
        }

        var container = Tree.Map(
            ("name", "stackvault"),
            ("image", options.Image),
            ("imagePullPolicy", "IfNotPresent"),
            ("args", args),
            ("env", Tree.List(
                Tree.Map(("name", "HOME"), ("value", "/tmp")),
                Tree.Map(("name", "TMPDIR"), ("value", "/tmp")))),
            ("envFrom", Tree.List(Tree.Map(("secretRef", Tree.Map(("name", options.SecretName), ("optional", true)))))),
            ("resources", Tree.Map(
                ("requests", Tree.Map(("cpu", "250m"), ("memory", "512Mi"))),
                ("limits", Tree.Map(("memory", "2Gi"))))),
            ("securityContext", Tree.Map(
                ("allowPrivilegeEscalation", false),
                ("readOnlyRootFilesystem", true),
                ("runAsNonRoot", true),
                ("capabilities", Tree.Map(("drop", Tree.List("ALL")))))),
            ("volumeMounts", mounts));
        foreach (var (key, value) in extraContainerFields ?? [])
        {
            container[key] = value;
        }

        return Tree.Map(
            ("hostname", hostname),
            ("serviceAccountName", Name),
            ("restartPolicy", restartPolicy),
            ("securityContext", Tree.Map(
                ("runAsNonRoot", true),
                ("runAsUser", 10001),
                ("runAsGroup", 10001),
                ("fsGroup", 10001),
                ("seccompProfile", Tree.Map(("type", "RuntimeDefault"))))),
            ("containers", Tree.List(container)),
            ("volumes", volumes));
    }

    private static IEnumerable<RepositoryConfigEntry> LocalRepositories(StackvaultConfig config) =>
        config.Repositories.Values.Where(r => r.Url.StartsWith('/'));

    private static IEnumerable<GeneratedObject> RepositoryClaims(StackvaultConfig config, ManifestOptions options)
    {
        foreach (var repository in LocalRepositories(config))
        {
            var name = "stackvault-repo-" + KubeName(repository.Name);
            yield return new($"pvc-{name}.yaml", Claim(name, options.Namespace, options.RepositorySize));
        }

        if (options.Scheduler == ManifestOptions.Daemon)
        {
            yield return new("pvc-stackvault-state.yaml", Claim("stackvault-state", options.Namespace, "1Gi"));
        }
    }

    private static Dictionary<string, object?> Claim(string name, string ns, string size) => Tree.Map(
        ("apiVersion", "v1"),
        ("kind", "PersistentVolumeClaim"),
        ("metadata", Tree.Metadata(name, ns, "storage")),
        ("spec", Tree.Map(
            ("accessModes", Tree.List("ReadWriteOnce")),
            ("resources", Tree.Map(("requests", Tree.Map(("storage", size))))))));

    private static long Seconds(TimeSpan span) => (long)Math.Ceiling(span.TotalSeconds);

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
