using System.Diagnostics;
using Stackvault.Tests.Support;
using Xunit.Abstractions;

namespace Stackvault.Tests.Buckets;

/// <summary>
/// Scale-out under failure (issue 14's disruption suite): N workers run <c>bucket backup --shard i/N</c> at once
/// against one S3 repository on s3rver, as the pods of an Indexed Job; one is SIGKILLed at a seeded random moment and
/// restarted, as Kubernetes restarts a failed index. Afterwards the shards' latest snapshots together hold every
/// object of the bucket exactly once, and restoring each shard into one target bucket rebuilds it byte for byte.
/// </summary>
[Collection(S3rverCollection.Name)]
public sealed class BucketShardFailureTests(S3rverFixture server, ITestOutputHelper output)
{
    private const int Workers = 3;

    [Fact]
    public async Task ShardedWorkersAtOnce_OneKilledAndRestarted_ShardsCoverBucketExactlyOnce_GroupRestoreRebuildsIt()
    {
        // the seed is in the test's output (a failure shows it); STACKVAULT_TEST_SEED runs the same choices again
        var seed = int.TryParse(Environment.GetEnvironmentVariable("STACKVAULT_TEST_SEED"), out var given) ? given : Environment.TickCount & 0x7fffffff;
        output.WriteLine($"seed {seed}");
        var random = new Random(seed);
        using var bed = new BucketTestBed(server);
        var (bucket, layout) = await bed.MimirBucketAsync();
        var repository = $"s3:{server.Endpoint.GetLeftPart(UriPartial.Authority)}/{await server.NewBucketAsync()}/shards";
        var cli = new CliRunner(repository);
        foreach (var (name, value) in bed.Cli.Environment)
        {
            cli.Environment[name] = value;
        }

        await cli.InitAsync();
        string[] Args(int i) => ["bucket", "backup", "--source", bed.Url(bucket), "--layout", "mimir", "--shard", $"{i}/{Workers}", "--host", $"pod-{i}",
            "--keep", "marked,partial", "--keep", "markers", "--keep", "index", "--keep", "cluster", "--concurrency", "2"];
        var victim = random.Next(Workers);

        var killAfterMs = random.Next(200, 2500);
        output.WriteLine($"worker {victim} killed after {killAfterMs} ms");
        var runs = Enumerable.Range(0, Workers).Select(i => i == victim ? KillAndRestartAsync(cli, Args(i), killAfterMs) : FinishAsync(cli, Args(i))).ToList();
        await Task.WhenAll(runs);

        await cli.RunOkAsync("verify");
        var seen = new List<string>();
        var target = await server.NewBucketAsync();
        for (var i = 0; i < Workers; i++)
        {
            var snapshots = (await cli.RunOkAsync("snapshots", "--tag", $"shard={i}/{Workers}", "--json")).Json();
            var latest = snapshots.EnumerateArray().Last().GetProperty("id").GetString()!;
            var dir = bed.Temp.Sub($"shard-{i}");
            await cli.RunOkAsync("restore", latest, "--target", dir);
            seen.AddRange(BucketTestBed.Files(Path.Combine(dir, "bucket")));
            await cli.RunOkAsync("bucket", "restore", latest, "--target", bed.Url(target), "--include-corrupt");
        }

        Assert.Equal(layout.Keys, seen.Order(StringComparer.Ordinal)); // every object, none twice
        var copy = bed.Temp.Sub("copy");
        await Rclone.DownloadAsync(server, target, copy);
        BucketTestBed.AssertSameObjects(layout.Root, layout.Keys, copy);
    }

    /// <summary>Starts a worker, SIGKILLs it after <paramref name="killAfterMs"/> (if still running), then runs it again to completion.</summary>
    private static async Task KillAndRestartAsync(CliRunner cli, string[] args, int killAfterMs)
    {
        using (var process = Process.Start(cli.StartInfo(args))!)
        {
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            var exited = process.WaitForExitAsync();
            if (await Task.WhenAny(exited, Task.Delay(killAfterMs)) != exited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
        }

        await FinishAsync(cli, args);
    }

    /// <summary>Runs a worker to its end: 0, or 3 for the shard that holds the corrupt block (a partial snapshot).</summary>
    private static async Task FinishAsync(CliRunner cli, string[] args)
    {
        var result = await cli.RunAsync(args);
        Assert.True(result.ExitCode is 0 or 3, $"stackvault {string.Join(' ', args)}: {result}");
    }
}
