using Stackvault.Tests.Support;

namespace Stackvault.Tests.Maintenance;

/// <summary>A repository (1 MiB packs) with several backups of a changing tree, and helpers to check it after prune.</summary>
internal sealed class PruneHistory(TempDirectory temp, int seed = 5)
{
    private readonly TreeGenerator _generator = new(seed);

    public CliRunner Cli { get; } = new(temp.Sub("repo"));

    public string Source { get; } = temp.Sub("src");

    /// <summary>A copy of the source as each backup saw it, oldest first.</summary>
    public List<string> Versions { get; } = [];

    /// <summary>Backs up <paramref name="rounds"/> versions; each adds files and deletes or rewrites older ones. Returns a copy of the last version.</summary>
    public async Task<string> CreateAsync(int rounds, int filesPerRound = 4, int fileSize = 700_000)
    {
        await Cli.InitAsync("--pack-size", "1");
        for (var round = 0; round < rounds; round++)
        {
            for (var i = 0; i < filesPerRound; i++)
            {
                _generator.File(Path.Combine(Source, $"r{round}", $"f{i}"), fileSize, compressible: i % 2 == 0);
            }

            if (round > 0)
            {
                Directory.Delete(Path.Combine(Source, $"r{round - 1}"), recursive: true);
                _generator.File(Path.Combine(Source, "keep", $"k{round}"), 50_000);
            }

            await Cli.RunOkAsync("backup", Source);
            var copy = temp.Sub($"version-{round}");
            RepositoryFiles.CopyDirectory(Source, copy);
            Versions.Add(copy);
        }

        return Versions[^1];
    }

    public static long Size(string repository) =>
        Directory.EnumerateFiles(Path.Combine(repository, "data"), "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);

    /// <summary>verify --read-data passes with no warning (no orphans).</summary>
    public async Task AssertCleanAsync()
    {
        var verify = (await Cli.RunOkAsync("verify", "--read-data", "--json")).Json();
        Assert.True(verify.GetProperty("ok").GetBoolean());
        Assert.Equal(0, verify.GetProperty("warnings").GetArrayLength());
    }

    public async Task<List<string>> SnapshotIdsAsync() =>
        [.. (await Cli.RunOkAsync("snapshots", "--json")).Json().EnumerateArray().Select(s => s.GetProperty("id").GetString()!)];

    /// <summary>Restores the snapshot and compares it with <paramref name="expected"/>.</summary>
    public async Task AssertRestoresAsync(string snapshot, string expected, string target)
    {
        await Cli.RunOkAsync("restore", snapshot, "--target", target);
        TreeComparer.AssertSame(expected, target + Source, compareDirMtime: false);
    }
}
