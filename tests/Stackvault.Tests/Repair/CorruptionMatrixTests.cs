using System.Text.Json;
using Stackvault.Tests.Support;
using Xunit.Abstractions;

namespace Stackvault.Tests.Repair;

/// <summary>
/// The corruption matrix (issue 14): a byte flipped in each object kind (pack data, pack header, index, snapshot, key;
/// the config's own tests flip every bit of it) plus truncation and deletion. Each case is detected, never restored as wrong bytes, and after the documented
/// repair (docs/disaster-recovery.md) the repository verifies, restores what was not lost, and takes a new backup.
/// </summary>
/// <remarks>Two classes, so the halves run in parallel with the rest of the suite (the matrix is its longest test).</remarks>
public abstract class CorruptionMatrixTests(ITestOutputHelper output)
{
    private const string SecondPassword = "second-password";

    protected async Task RunMatrixAsync(string[] cases)
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("STACKVAULT_DISRUPTION_SEED"), out var s) ? s : Environment.TickCount & 0x7fffffff;
        output.WriteLine($"corruption matrix seed {seed}");
        var random = new Random(seed);
        using var temp = new TempDirectory();
        var pristine = new DamagedRepository(temp, seed % 1000);
        await pristine.CreateAsync();
        var adder = new CliRunner(pristine.Root) { Environment = { ["STACKVAULT_NEW_PASSWORD"] = SecondPassword } };
        var firstKey = (await adder.RunOkAsync("key", "list", "--json")).Json().GetProperty("keys")[0].GetProperty("id").GetString()!;
        await adder.RunOkAsync("key", "add", "--kdf-iterations", CliRunner.TestKdfIterations);
        var expected = new Dictionary<string, string> { [pristine.Ids[0]] = pristine.First, [pristine.Ids[1]] = pristine.Second };

        var flips = 0;
        var detected = 0;
        var repairs = 0;
        var wrongBytes = 0;
        var failures = new List<string>();
        foreach (var name in cases)
        {
            var root = temp.Sub("case-" + name.Replace(':', '-'));
            RepositoryFiles.CopyDirectory(pristine.Root, root);
            var cli = new CliRunner(root);
            var second = new CliRunner(root, SecondPassword);
            var (kind, how) = (name.Split(':')[0], name.Split(':')[1]);
            var target = Target(root, kind, pristine, firstKey, random);
            if (how == "flip")
            {
                flips++;
                var offset = kind switch
                {
                    "pack-data" => 16 + random.Next(64),
                    "pack-header" => new FileInfo(target).Length - 8 - random.Next(40),
                    _ => random.Next((int)new FileInfo(target).Length),
                };
                RepositoryFiles.FlipByte(target, offset);
            }
            else if (how == "truncate")
            {
                RepositoryFiles.Truncate(target, new FileInfo(target).Length / 2);
            }
            else
            {
                File.Delete(target);
            }

            // Detected: verify (with the damaged key's password for the key case) fails and names something.
            var verify = await cli.RunAsync("verify", "--read-data");
            if (verify.ExitCode != 0)
            {
                detected++;
            }
            else
            {
                failures.Add($"{name}: verify passed: {verify}");
            }

            // Never wrong bytes: whatever a restore writes equals the source it came from.
            var reader = kind == "key" ? second : cli;
            foreach (var (id, copy) in expected)
            {
                var into = temp.Sub($"r-{Guid.NewGuid():N}");
                await reader.RunAsync("restore", id, "--target", into);
                wrongBytes += CountWrongFiles(copy, into + pristine.Source);
            }

            // The documented repair.
            string[][] steps = kind switch
            {
                "pack-data" or "pack-header" or "pack" => [["repair", "index", "--read-all-packs"], ["repair", "snapshots", "--forget"], ["prune"]],
                "index" => [["repair", "index"]],
                "snapshot" => [["repair", "snapshots", "--forget"]],
                _ => [],
            };
            foreach (var step in steps)
            {
                var run = await cli.RunAsync(step);
                if (run.ExitCode != 0)
                {
                    failures.Add($"{name}: {string.Join(' ', step)}: {run}");
                }
            }

            if (kind == "key")
            {
                var fixer = new CliRunner(root, SecondPassword) { Environment = { ["STACKVAULT_NEW_PASSWORD"] = "test-password" } };
                await fixer.RunOkAsync("key", "remove", firstKey[..12]);
                await fixer.RunOkAsync("key", "add", "--kdf-iterations", CliRunner.TestKdfIterations);
            }

            repairs++;

            // Usable for everything else: verify passes, every snapshot restores what it still has, byte for byte
            // (untouched ones completely), and a new backup restores exactly.
            var after = await cli.RunAsync("verify", "--read-data");
            if (after.ExitCode != 0)
            {
                failures.Add($"{name}: verify after repair: {after}");
                continue;
            }

            foreach (var snapshot in (await cli.RunOkAsync("snapshots", "--json")).Json().EnumerateArray())
            {
                var id = snapshot.GetProperty("id").GetString()!;
                var original = snapshot.TryGetProperty("original", out var o) && o.ValueKind == JsonValueKind.String ? o.GetString()! : id;
                var repaired = snapshot.GetProperty("tags").EnumerateArray().Any(t => t.GetString() == "repaired");
                var into = temp.Sub($"a-{Guid.NewGuid():N}");
                var restore = await cli.RunAsync("restore", id, "--target", into);
                if (restore.ExitCode != 0)
                {
                    failures.Add($"{name}: restore {id[..8]} after repair: {restore}");
                    continue;
                }

                wrongBytes += CountWrongFiles(expected[original], into + pristine.Source);
                if (!repaired)
                {
                    TreeComparer.AssertSame(expected[original], into + pristine.Source, compareDirMtime: false);
                }
            }

            var backup = await cli.RunAsync("backup", pristine.Source);
            var latest = temp.Sub($"l-{Guid.NewGuid():N}");
            var restoreLatest = await cli.RunAsync("restore", "latest", "--target", latest);
            if (backup.ExitCode != 0 || restoreLatest.ExitCode != 0)
            {
                failures.Add($"{name}: backup/restore after repair: {backup} {restoreLatest}");
            }
            else
            {
                TreeComparer.AssertSame(pristine.Source, latest + pristine.Source, compareDirMtime: false);
            }
        }

        output.WriteLine($"corruption matrix figures (seed {seed}): {cases.Length} cases ({flips} flips), " +
            $"{detected} detected, {wrongBytes} files restored with wrong bytes, {repairs} repairs, {failures.Count} failures");
        Assert.True(failures.Count == 0, $"seed {seed}:\n" + string.Join("\n", failures));
        Assert.Equal(cases.Length, detected);
        Assert.Equal(0, wrongBytes);
    }

    private static string Target(string root, string kind, DamagedRepository pristine, string firstKey, Random random) => kind switch
    {
        "pack-data" or "pack-header" or "pack" => Path.Combine(root, Path.GetRelativePath(pristine.Root, pristine.OldestPack())),
        "index" => RandomOf(RepositoryFiles.Objects(root, "index"), random),
        "snapshot" => Path.Combine(root, "snapshots", pristine.Ids[random.Next(2)]),
        _ => Path.Combine(root, "keys", firstKey),
    };

    private static string RandomOf(string[] files, Random random) => files[random.Next(files.Length)];

    /// <summary>Files under <paramref name="actual"/> whose bytes differ from the same path under <paramref name="expected"/> (absent ones are not wrong).</summary>
    private static int CountWrongFiles(string expected, string actual)
    {
        if (!Directory.Exists(actual))
        {
            return 0;
        }

        return Directory.EnumerateFiles(actual, "*", SearchOption.AllDirectories)
            .Count(f => !File.Exists(Path.Combine(expected, Path.GetRelativePath(actual, f)))
                || !File.ReadAllBytes(f).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(expected, Path.GetRelativePath(actual, f)))));
    }
}

/// <summary>The pack half of the matrix. A deleted pack: DamageTests.LostPack.</summary>
public class CorruptionMatrixPackTests(ITestOutputHelper output) : CorruptionMatrixTests(output)
{
    [Fact]
    public Task Packs_FlippedTruncated_DetectedNeverWrongRepaired() => RunMatrixAsync(["pack-data:flip", "pack-header:flip", "pack:truncate"]);
}

/// <summary>The metadata half. A flipped config: ConfigAuthenticationTests (every bit, and through the CLI).</summary>
public class CorruptionMatrixMetadataTests(ITestOutputHelper output) : CorruptionMatrixTests(output)
{
    [Fact]
    public Task IndexSnapshotKey_FlippedTruncatedDeleted_DetectedNeverWrongRepaired() =>
        RunMatrixAsync(["index:flip", "index:delete", "snapshot:flip", "snapshot:truncate", "key:flip"]);
}
