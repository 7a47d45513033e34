using Stackvault.Deploy.Kubernetes;
using Stackvault.Tests.Support;
using static Stackvault.Tests.Deploy.Kubernetes.ManifestSamples;

namespace Stackvault.Tests.Deploy.Kubernetes;

/// <summary>
/// The Indexed Job per bucket component: each pod backs up its 0-based shard with the component's own selection,
/// the values reaching the shell as arguments; run here with a stand-in `stackvault` that prints its arguments.
/// </summary>
public class ShardedBucketJobTests
{
    [Fact]
    public async Task Generate_BucketComponent_IndexedJobGivesEachPodItsShard()
    {
        using var temp = new TempDirectory();
        var (config, options) = Sample();
        var job = ManifestGenerator.Generate(config, options with { Shards = 5 }).Single(o => o.Kind == "Job");
        Assert.Equal(("Indexed", 5, 5, true), ((string)At(job, "spec.completionMode")!, (int)At(job, "spec.completions")!, (int)At(job, "spec.parallelism")!, (bool)At(job, "spec.suspend")!));

        // Run the container's command as the pod would, with a stand-in `stackvault` that prints its arguments.
        var bin = Directory.CreateDirectory(temp.Sub("bin")).FullName;
        ExecutableScript.Write(Path.Combine(bin, "stackvault"), "#!/bin/sh\nprintf '%s\\n' \"$@\"\n");
        var command = ((List<object?>)At(job, "spec.template.spec.containers.0.command")!).Cast<string>().ToList();
        var (exit, stdout, stderr) = await SchemaValidator.RunAsync(command[0], command.Skip(1),
            new Dictionary<string, string> { ["JOB_COMPLETION_INDEX"] = "2", ["PATH"] = bin + ":/usr/bin:/bin" });

        Assert.True(exit == 0, stderr);
        Assert.Equal(
            ["--repo", "s3://observability-backups/stackvault", "--password-file", "/etc/stackvault/secrets/repository-password",
             "bucket", "backup", "--source", "s3://loki-chunks", "--layout", "loki", "--name", "loki-chunks", "--shard", "2/5"],
            stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Null(At(job, "spec.template.spec.hostname")); // Kubernetes names each shard's pod host "<job>-<index>"
        Assert.Equal("FailJob", At(job, "spec.podFailurePolicy.rules.0.action"));
        Assert.Equal(new List<object?> { 2, 10, 12 }, At(job, "spec.podFailurePolicy.rules.0.onExitCodes.values")); // a partial shard does not kill the others
    }

    [Fact]
    public async Task Generate_BucketWithTenantsAndKeep_ShardsTakeTheComponentsSelectionLiterally()
    {
        using var temp = new TempDirectory();
        var config = Load("""
            repositories: { r: { url: s3://backups/sv, password_command: "cat /p" } }
            components:
              mimir-blocks: { type: bucket, url: "s3:http://minio:9000/blocks", layout: mimir, tenants: [team-a, "$(touch pwned)"], keep: [marked, index] }
            jobs: { j: { repository: r, components: [mimir-blocks], schedule: "@daily" } }
            """);
        var job = ManifestGenerator.Generate(config, new ManifestOptions { ConfigText = "x", Shards = 3 }).Single(o => o.Kind == "Job");
        var bin = Directory.CreateDirectory(temp.Sub("bin")).FullName;
        ExecutableScript.Write(Path.Combine(bin, "stackvault"), "#!/bin/sh\nprintf '%s\\n' \"$@\"\n");
        var command = ((List<object?>)At(job, "spec.template.spec.containers.0.command")!).Cast<string>().ToList();

        var (exit, stdout, stderr) = await SchemaValidator.RunAsync(command[0], command.Skip(1),
            new Dictionary<string, string> { ["JOB_COMPLETION_INDEX"] = "0", ["PATH"] = bin + ":/usr/bin:/bin" }, temp.Path);

        Assert.True(exit == 0, stderr);
        Assert.Equal(
            ["--repo", "s3://backups/sv", "bucket", "backup", "--source", "s3:http://minio:9000/blocks", "--layout", "mimir", "--name", "mimir-blocks",
             "--tenant", "team-a", "--tenant", "$(touch pwned)", "--keep", "marked", "--keep", "index", "--shard", "0/3"],
            stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.False(File.Exists(temp.Sub("pwned"))); // a value is an argument, never shell code
    }
}
