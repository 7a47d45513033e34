using System.Formats.Tar;
using Stackvault.Backup;
using Stackvault.Components;
using Stackvault.Components.Kubernetes;
using Stackvault.Configuration;
using Stackvault.Jobs;
using Stackvault.Locking;
using Stackvault.Repository.Model;
using Stackvault.Storage;
using Stackvault.Tests.Jobs;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Components.Kubernetes;

/// <summary>
/// A kubernetes component through the engine and back, the cluster being the kubectl stand-in: a job run with the
/// adapter (as the CLI's job pipeline runs it), <c>restore --component</c>, then <c>k8s restore</c> through the CLI.
/// </summary>
public class KubernetesRoundTripTests
{
    private const string Secret = """
        {"apiVersion":"v1","kind":"Secret","metadata":{"name":"loki-s3","namespace":"monitoring","uid":"x","resourceVersion":"1"},
         "type":"Opaque","data":{"AWS_SECRET_ACCESS_KEY":"c2VjcmV0"}}
        """;

    [Fact]
    public async Task JobThenRestoreComponentThenK8sRestore_ObjectsAndPodDataComeBackUnchanged()
    {
        using var temp = new TempDirectory();
        var repositoryPath = temp.Sub("repo");
        var cli = new CliRunner(repositoryPath);
        await cli.InitAsync();
        var configFile = JobManifests.WriteConfig(temp, repositoryPath, """
            components:
              k8s:
                type: kubernetes
                namespace: monitoring
                objects: [{ kind: ConfigMap, name: loki }, { kind: Secret, name: loki-s3 }]
                pod_data: [{ pod: loki-0, container: loki, path: /var/loki }]
                scale: [{ kind: StatefulSet, name: loki }]
            jobs:
              nightly: { repository: main, components: [k8s] }
            """);
        var podFiles = Directory.CreateDirectory(temp.Sub("pod-fs/chunks/fake")).FullName;
        var chunk = new byte[300_000];
        new Random(7).NextBytes(chunk);
        File.WriteAllBytes(Path.Combine(podFiles, "1a2b3c"), chunk);
        var archive = KubernetesFixtures.Tar(temp.Sub("pod-fs"));
        var kubectl = new KubectlStandIn(temp)
            .On("get configmaps loki -o json", KubernetesFixtures.ConfigMap)
            .On("get secrets loki-s3 -o json", Secret)
            .On("exec loki-0 -c loki -- tar cf - -C /var/loki .", stdoutBytes: archive);

        var (config, _) = ConfigLoader.Load(configFile);
        var result = await RunJobAsync(repositoryPath, config!, kubectl.Program);

        var section = Assert.Single(result.Components);
        Assert.Equal((ComponentStatus.Complete, "kubectl", 2L, 1L), (section.Status, section.Method, section.Checks!["objects"], section.Checks["pod_data.archives"]));
        var restored = temp.Sub("restored");
        await cli.RunOkAsync("restore", "latest", "--component", "k8s", "--target", restored);
        Assert.Equal(archive, File.ReadAllBytes(Path.Combine(restored, "pod-data", "0.tar")));
        Assert.Contains("AWS_SECRET_ACCESS_KEY: c2VjcmV0", File.ReadAllText(Path.Combine(restored, "objects", "secret", "loki-s3.yaml")), StringComparison.Ordinal);

        kubectl.On("apply")
            .On("get statefulsets.apps loki -o json", KubernetesFixtures.StatefulSet)
            .On("scale").On("wait --for=delete")
            .On("exec -i loki-0 -c loki -- tar xf - -C /var/loki", saveStdin: true)
            .On("rollout status")
            .On("get deployments,statefulsets,daemonsets -o json", """{"kind":"List","items":[]}""");
        kubectl.FirstOnPathOf(cli);
        await cli.RunOkAsync("k8s", "restore", "--config", configFile, "--component", "k8s", "--from", restored, "--json");

        Assert.Contains(kubectl.Calls, c => c.Contains("apply --dry-run=server -f " + Path.Combine(restored, "objects", "configmap", "loki.yaml"), StringComparison.Ordinal));
        using var sent = new TarReader(new MemoryStream(kubectl.Stdin(7)));
        var files = new Dictionary<string, byte[]>();
        while (sent.GetNextEntry() is { } entry)
        {
            if (entry.DataStream is { } data)
            {
                using var copy = new MemoryStream();
                data.CopyTo(copy);
                files[entry.Name] = copy.ToArray();
            }
        }

        Assert.Equal(chunk, files["./chunks/fake/1a2b3c"]);
        Assert.True(kubectl.IndexOf("--replicas=3") > kubectl.IndexOf("exec -i"));
    }

    private static async Task<JobResult> RunJobAsync(string repositoryPath, StackvaultConfig config, string kubectl)
    {
        await using var repository = await Stackvault.Repository.Repository.OpenAsync(StorageFactory.Open(repositoryPath), "test-password", TimeProvider.System, CancellationToken.None);
        await using var repositoryLock = await new LockManager(repository.Storage, new LockOptions(), TimeProvider.System).AcquireAsync(LockKind.Shared, "backup", CancellationToken.None);
        await repository.LoadIndexAsync(CancellationToken.None);
        IReadOnlyList<IComponentAdapter> adapters = [new KubernetesAdapter(repository.IsEncrypted, TimeProvider.System, kubectl)];
        var runner = new JobRunner(repository, repositoryLock, adapters, new BackupProgress());
        return await runner.RunAsync(JobSelection.Resolve(config, "nightly", []), new BackupOptions { Hostname = "test" }, CancellationToken.None);
    }
}
