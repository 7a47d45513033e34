using System.Diagnostics;
using Stackvault.Tests.Support;
using Xunit.Abstractions;

namespace Stackvault.Tests.Repair;

/// <summary>
/// The disruption suite (issue 14), seeded (STACKVAULT_DISRUPTION_SEED, else the clock; printed) and bounded: SIGKILL
/// at random points of backup, prune and forget --prune, and a corruption matrix over every object kind. The figures
/// (kills, flips, cases, failures, repairs) are printed in the test output.
/// </summary>
public class DisruptionSuiteTests(ITestOutputHelper output)
{
    private static int Seed() => int.TryParse(Environment.GetEnvironmentVariable("STACKVAULT_DISRUPTION_SEED"), out var s) ? s : Environment.TickCount & 0x7fffffff;

    [Fact]
    public async Task Sigkill_AtRandomPoints_VerifyPassesEverySnapshotRestoresNextRunSucceeds()
    {
        var seed = Seed();
        output.WriteLine($"disruption seed {seed} (STACKVAULT_DISRUPTION_SEED={seed} repeats it)");
        var random = new Random(seed);
        using var temp = new TempDirectory();
        var source = temp.Sub("src");
        var generator = new TreeGenerator(seed);
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync("--pack-size", "1");
        var versions = new Dictionary<string, string>(); // snapshot id -> copy of the source it saw
        var version = 0;
        string Mutate()
        {
            version++;
            generator.File(Path.Combine(source, $"v{version}.bin"), 2_000_000 + random.Next(1_000_000), compressible: version % 2 == 0);
            if (version > 3)
            {
                File.Delete(Path.Combine(source, $"v{version - 3}.bin"));
            }

            var copy = temp.Sub($"version-{version}");
            RepositoryFiles.CopyDirectory(source, copy);
            return copy;
        }

        async Task RecordNewSnapshotsAsync(string copy)
        {
            foreach (var id in await IdsAsync(cli))
            {
                versions.TryAdd(id, copy);
            }
        }

        // Calibrate how long each operation takes here, so kills land inside it.
        var current = Mutate();
        var clock = Stopwatch.StartNew();
        await cli.RunOkAsync("backup", source);
        var backupTime = clock.Elapsed;
        await RecordNewSnapshotsAsync(current);

        var kills = new Dictionary<string, int> { ["backup"] = 0, ["prune"] = 0, ["forget --prune"] = 0 };
        var reused = 0L;
        var plan = new[] { "backup", "forget --prune", "backup", "prune", "backup", "forget --prune" };
        foreach (var op in plan)
        {
            string[] args = op switch
            {
                "backup" => ["backup", source, "--json"],
                "prune" => ["prune", "--max-unused", "0"],
                _ => ["forget", "--keep-last", "2", "--prune", "--max-unused", "0"],
            };
            if (op == "backup")
            {
                current = Mutate();
            }
            else
            {
                // Something to delete: one more backup, and for plain prune a forget without --prune first.
                current = Mutate();
                await cli.RunOkAsync("backup", source);
                await RecordNewSnapshotsAsync(current);
                if (op == "prune")
                {
                    await cli.RunOkAsync("forget", "--keep-last", "2");
                }
            }

            var delay = TimeSpan.FromMilliseconds(random.NextDouble() * Math.Max(300, backupTime.TotalMilliseconds * 1.2));
            using (var process = cli.Start(args))
            {
                await Task.Delay(delay);
                if (!process.HasExited)
                {
                    process.Kill();
                    kills[op]++;
                }

                await process.WaitForExitAsync();
            }

            await RecordNewSnapshotsAsync(current); // a kill after the commit point leaves a complete snapshot

            var verify = await cli.RunAsync("verify", "--read-data");
            Assert.True(verify.ExitCode == 0, $"seed {seed}: verify after killing {op} at {delay.TotalMilliseconds:F0} ms: {verify}");
            var ids = await IdsAsync(cli);
            var pick = ids[random.Next(ids.Count)];
            await AssertRestoresAsync(cli, pick, versions[pick], source, temp.Sub($"restore-{Guid.NewGuid():N}"), seed);

            // The next run succeeds; a backup reuses what the killed one uploaded (checkpointed packs).
            var next = await cli.RunAsync(args);
            Assert.True(next.ExitCode == 0, $"seed {seed}: the run after killing {op}: {next}");
            if (op == "backup")
            {
                var added = next.Message("summary").GetProperty("data_added").GetInt64();
                reused += Math.Max(0, new FileInfo(Path.Combine(source, $"v{version}.bin")).Length - added);
                await RecordNewSnapshotsAsync(current);
            }
        }

        await cli.RunOkAsync("verify", "--read-data");
        var final = await IdsAsync(cli);
        foreach (var id in final)
        {
            await AssertRestoresAsync(cli, id, versions[id], source, temp.Sub($"final-{id[..8]}"), seed);
        }

        output.WriteLine($"SIGKILL figures (seed {seed}): {kills.Values.Sum()} kills (backup {kills["backup"]}, prune {kills["prune"]}, forget --prune {kills["forget --prune"]}), " +
            $"0 failed verifies, {final.Count} snapshots restored byte-identically at the end, {reused} bytes reused by the runs after killed backups");
    }

    private static async Task<List<string>> IdsAsync(CliRunner cli) =>
        [.. (await cli.RunOkAsync("snapshots", "--json")).Json().EnumerateArray().Select(s => s.GetProperty("id").GetString()!)];

    private static async Task AssertRestoresAsync(CliRunner cli, string id, string expected, string source, string target, int seed)
    {
        var restore = await cli.RunAsync("restore", id, "--target", target);
        Assert.True(restore.ExitCode == 0, $"seed {seed}: restore {id[..8]}: {restore}");
        TreeComparer.AssertSame(expected, target + source, compareDirMtime: false);
    }
}
