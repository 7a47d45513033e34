using System.Text.Json;
using Stackvault.Tests.Jobs;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Components.Kubernetes;

/// <summary><c>stackvault k8s prune-snapshots</c> through the CLI, kubectl being the stand-in on PATH.</summary>
public class PruneSnapshotsCommandTests
{
    private const string List = """
        {"kind":"List","items":[
         {"kind":"VolumeSnapshot","metadata":{"name":"old","creationTimestamp":"2026-11-01T02:00:00Z"},"status":{"readyToUse":true}},
         {"kind":"VolumeSnapshot","metadata":{"name":"new","creationTimestamp":"2026-11-20T02:00:00Z"},"status":{"readyToUse":true}}]}
        """;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task PruneSnapshots_KeepLastOne_DeletesOnlyTheOlderUnlessDryRun(bool dryRun)
    {
        using var temp = new TempDirectory();
        var cli = new CliRunner(temp.Sub("repo"));
        var config = JobManifests.WriteConfig(temp, temp.Sub("repo"), """
            components:
              loki-data: { type: kubernetes, namespace: monitoring, volume_snapshots: { class: csi, pvcs: [storage-loki-0] } }
            jobs:
              bulk: { repository: main, components: [loki-data], retention: { keep_last: 1 } }
            """);
        var kubectl = new KubectlStandIn(temp).On("get volumesnapshots", List).On("delete volumesnapshot");
        kubectl.FirstOnPathOf(cli);

        var result = await cli.RunOkAsync(["k8s", "prune-snapshots", "--config", config, "--job", "bulk", "--json", .. dryRun ? new[] { "--dry-run" } : []]);

        var removed = JsonDocument.Parse(result.Stdout).RootElement.GetProperty("removed").EnumerateArray().Select(r => r.GetProperty("volume_snapshot").GetString()).ToList();
        Assert.Equal(["old"], removed);
        Assert.Equal(dryRun ? 0 : 1, kubectl.Calls.Count(c => c.EndsWith("delete volumesnapshot old --ignore-not-found", StringComparison.Ordinal)));
        Assert.DoesNotContain(kubectl.Calls, c => c.Contains("delete volumesnapshot new", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PruneSnapshots_JobWithoutRetention_Exit2()
    {
        using var temp = new TempDirectory();
        var cli = new CliRunner(temp.Sub("repo"));
        var config = JobManifests.WriteConfig(temp, temp.Sub("repo"), """
            components:
              loki-data: { type: kubernetes, namespace: monitoring, volume_snapshots: { class: csi, pvcs: [storage-loki-0] } }
            jobs:
              bulk: { repository: main, components: [loki-data] }
            """);

        var result = await cli.ExpectAsync(2, "k8s", "prune-snapshots", "--config", config, "--job", "bulk");

        Assert.Contains("job bulk has no retention", result.Stderr, StringComparison.Ordinal);
    }
}
