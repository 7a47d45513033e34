using System.Text;
using System.Text.Json.Nodes;
using Stackvault.Components.Kubernetes;
using Stackvault.Configuration;
using Stackvault.Errors;
using Stackvault.Tests.Crypto;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Components.Kubernetes;

/// <summary>VolumeSnapshots: created labelled, awaited, recorded; released on failure; pruned by the job's retention.</summary>
public class VolumeSnapshotTests
{
    private static readonly FixedTimeProvider Clock = new(new DateTimeOffset(2026, 11, 21, 2, 0, 0, TimeSpan.Zero));

    private const string Body = "type: kubernetes\nnamespace: monitoring\nvolume_snapshots: { class: csi-snapclass, pvcs: [storage-loki-0], timeout: 90s }";

    [Fact]
    public async Task PrepareAsync_VolumeSnapshots_CreatesLabelledSnapshotWaitsAndRecordsIt()
    {
        using var temp = new TempDirectory();
        var kubectl = new KubectlStandIn(temp).On("create -f -", saveStdin: true).On("wait volumesnapshot/");
        var scratch = Directory.CreateDirectory(temp.Sub("s")).FullName;

        var plan = await new KubernetesAdapter(false, Clock, kubectl.Program).PrepareAsync(KubernetesFixtures.Component(Body), scratch, CancellationToken.None);

        var created = JsonNode.Parse(Encoding.UTF8.GetString(kubectl.Stdin(0)))!;
        Assert.Equal("VolumeSnapshot", (string?)created["kind"]);
        Assert.Equal("storage-loki-0-sv-20261121-020000", (string?)created["metadata"]!["name"]);
        Assert.Equal("stackvault", (string?)created["metadata"]!["labels"]![VolumeSnapshotRecord.ManagedByLabel]);
        Assert.Equal("k8s", (string?)created["metadata"]!["labels"]![VolumeSnapshotRecord.ComponentLabel]);
        Assert.Equal("csi-snapclass", (string?)created["spec"]!["volumeSnapshotClassName"]);
        Assert.Equal("storage-loki-0", (string?)created["spec"]!["source"]!["persistentVolumeClaimName"]);
        Assert.Contains(kubectl.Calls, c => c.EndsWith("wait volumesnapshot/storage-loki-0-sv-20261121-020000 --for=jsonpath={.status.readyToUse}=true --timeout=90s", StringComparison.Ordinal));
        Assert.Equal(1, plan.Section.Checks!["volume_snapshots.ready"]);
        Assert.Contains(plan.Sources, s => s.SnapshotPath == "/k8s/volume-snapshots.json");
        var record = JsonNode.Parse(File.ReadAllText(Path.Combine(scratch, "volume-snapshots.json")))!.AsArray();
        Assert.Equal("storage-loki-0", (string?)record[0]!["pvc"]);
    }

    [Fact]
    public async Task PrepareAsync_SnapshotNeverReady_DeletesWhatItCreatedAndFails()
    {
        using var temp = new TempDirectory();
        var kubectl = new KubectlStandIn(temp)
            .On("create -f -")
            .On("wait volumesnapshot/", exit: 1, stderr: "error: timed out waiting for the condition on volumesnapshots/storage-loki-0-sv-20261121-020000")
            .On("delete volumesnapshot");

        var error = await Assert.ThrowsAnyAsync<StackvaultException>(async () =>
            await new KubernetesAdapter(false, Clock, kubectl.Program).PrepareAsync(KubernetesFixtures.Component(Body), temp.Path, CancellationToken.None));

        Assert.Contains("kubectl wait failed (exit 1): error: timed out", error.Message, StringComparison.Ordinal);
        Assert.Contains(kubectl.Calls, c => c.Contains("delete volumesnapshot storage-loki-0-sv-20261121-020000", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PruneAsync_KeepLastTwo_DeletesTheOlderSnapshotsOfThisComponentOnly()
    {
        using var temp = new TempDirectory();
        var list = """
            {"kind":"List","items":[
             {"kind":"VolumeSnapshot","metadata":{"name":"a","creationTimestamp":"2026-11-18T02:00:00Z"},"status":{"readyToUse":true}},
             {"kind":"VolumeSnapshot","metadata":{"name":"b","creationTimestamp":"2026-11-19T02:00:00Z"},"status":{"readyToUse":true}},
             {"kind":"VolumeSnapshot","metadata":{"name":"c","creationTimestamp":"2026-11-20T02:00:00Z"},"status":{"readyToUse":true}},
             {"kind":"VolumeSnapshot","metadata":{"name":"d","creationTimestamp":"2026-11-21T02:00:00Z"},"status":{"readyToUse":false}}]}
            """;
        var kubectl = new KubectlStandIn(temp).On("get volumesnapshots", list).On("delete volumesnapshot");
        var retention = new RetentionConfig(2, null, null, null, null, null, null);

        var removed = await new VolumeSnapshotPruner(kubectl.Program).PruneAsync(KubernetesFixtures.Component(Body), retention, dryRun: false, CancellationToken.None);

        Assert.Equal(["b", "a"], removed);
        Assert.Contains(kubectl.Calls, c => c.Contains("get volumesnapshots -l app.kubernetes.io/managed-by=stackvault,stackvault.io/component=k8s -o json", StringComparison.Ordinal));
        Assert.Equal(2, kubectl.Calls.Count(c => c.Contains("delete volumesnapshot", StringComparison.Ordinal)));
    }
}
