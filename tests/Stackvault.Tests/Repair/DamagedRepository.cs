using Stackvault.Tests.Support;

namespace Stackvault.Tests.Repair;

/// <summary>A repository (1 MiB packs) with two snapshots of a growing tree, and helpers to damage and check it.</summary>
internal sealed class DamagedRepository(TempDirectory temp, int seed = 14)
{
    private readonly TreeGenerator _generator = new(seed);

    public CliRunner Cli { get; private init; } = new(temp.Sub("repo"));

    /// <summary>The repository created here: a copy's packs keep the write order they had in it.</summary>
    private string Origin { get; } = temp.Sub("repo");

    public string Source { get; } = temp.Sub("src");

    public string Root => Cli.Repository;

    /// <summary>Copies of the source as the first and the second backup saw it.</summary>
    public string First { get; } = temp.Sub("first");

    public string Second { get; } = temp.Sub("second");

    public List<string> Ids { get; } = [];

    public async Task CreateAsync(params string[] initOptions)
    {
        await Cli.InitAsync(["--pack-size", "1", .. initOptions]);
        _generator.File(Path.Combine(Source, "a", "one.bin"), 2_500_000, compressible: false);
        _generator.File(Path.Combine(Source, "a", "two.txt"), 300_000);
        await Cli.RunOkAsync("backup", Source);
        RepositoryFiles.CopyDirectory(Source, First);
        _generator.File(Path.Combine(Source, "b", "three.bin"), 1_500_000, compressible: false);
        await Cli.RunOkAsync("backup", Source);
        RepositoryFiles.CopyDirectory(Source, Second);
        Ids.AddRange(await SnapshotIdsAsync());
        Assert.Equal(2, Ids.Count);
    }

    public async Task<List<string>> SnapshotIdsAsync() =>
        [.. (await Cli.RunOkAsync("snapshots", "--json")).Json().EnumerateArray().Select(s => s.GetProperty("id").GetString()!)];

    public string SnapshotPath(string id) => Path.Combine(Root, "snapshots", id);

    /// <summary>The data pack written first: it holds file data only (trees are written at the end of a backup).</summary>
    public string OldestPack() => Path.Combine(Root, Path.GetRelativePath(Origin,
        RepositoryFiles.Objects(Origin, "data").OrderBy(File.GetLastWriteTimeUtc).ThenBy(p => p, StringComparer.Ordinal).First()));

    /// <summary>A copy of the created repository at <paramref name="root"/>, sharing its source and the copies of it (never changed).</summary>
    public DamagedRepository CopyTo(string root)
    {
        RepositoryFiles.CopyDirectory(Origin, root);
        var copy = new DamagedRepository(temp, seed) { Cli = new CliRunner(root) };
        copy.Ids.AddRange(Ids);
        return copy;
    }

    public async Task AssertRestoresAsync(string snapshot, string expected, string target)
    {
        await Cli.RunOkAsync("restore", snapshot, "--target", target);
        TreeComparer.AssertSame(expected, target + Source, compareDirMtime: false);
    }
}
