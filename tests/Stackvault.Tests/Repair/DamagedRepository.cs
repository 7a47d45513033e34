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
        FirstBackupPacks.AddRange(RepositoryFiles.Objects(Origin, "data").Select(p => Path.GetRelativePath(Origin, p)));
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

    /// <summary>
    /// A full pack of the first backup's file data (the largest of its packs, 1 MiB of one.bin), which both snapshots
    /// need. Chosen by the packs present after the first backup, not by write times: a fast build writes all of a
    /// backup's packs within one tick of the file system's clock, and the oldest by time could then be the small pack
    /// of the first snapshot's own trees, which only that snapshot needs.
    /// </summary>
    public string OldestPack() => Path.Combine(Root, FirstBackupPacks
        .OrderByDescending(p => new FileInfo(Path.Combine(Origin, p)).Length).ThenBy(p => p, StringComparer.Ordinal).First());

    /// <summary>The packs (paths relative to the repository) the first backup wrote.</summary>
    private List<string> FirstBackupPacks { get; } = [];

    /// <summary>A copy of the created repository at <paramref name="root"/>, sharing its source and the copies of it (never changed).</summary>
    public DamagedRepository CopyTo(string root)
    {
        RepositoryFiles.CopyDirectory(Origin, root);
        var copy = new DamagedRepository(temp, seed) { Cli = new CliRunner(root) };
        copy.Ids.AddRange(Ids);
        copy.FirstBackupPacks.AddRange(FirstBackupPacks);
        return copy;
    }

    public async Task AssertRestoresAsync(string snapshot, string expected, string target)
    {
        await Cli.RunOkAsync("restore", snapshot, "--target", target);
        TreeComparer.AssertSame(expected, target + Source, compareDirMtime: false);
    }
}
