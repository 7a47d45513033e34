using Stackvault.Tests.Support;

namespace Stackvault.Tests.Copy;

/// <summary><c>stackvault copy</c> between local repositories: restores byte-identical, transfers only what is missing.</summary>
public class CopyRoundTripTests
{
    [Fact]
    public async Task Copy_AwkwardTreeBetweenEncryptedRepositories_RestoresByteIdenticalFromDestination()
    {
        using var temp = new TempDirectory();
        var source = temp.Sub("src");
        new TreeGenerator(21).Awkward(source);
        var pair = new CopyPair(temp);
        await pair.InitAsync();
        await pair.Source.RunOkAsync("backup", source, "--tag", "nightly", "--host", "prod-1");

        var copy = await pair.CopyAsync();

        Assert.Equal(1, copy.GetProperty("snapshots_copied").GetInt32());
        Assert.True(copy.GetProperty("data_blobs").GetInt64() > 0);
        await pair.Destination.RunOkAsync("verify", "--read-data");
        var target = temp.Sub("restore");
        await pair.Destination.RunOkAsync("restore", "latest", "--target", target, "--verify");
        TreeComparer.AssertSame(source, target + source);
        var original = (await CopyPair.SnapshotsAsync(pair.Source)).Single();
        var copied = (await CopyPair.SnapshotsAsync(pair.Destination)).Single();
        Assert.Equal(original.GetProperty("id").GetString(), copied.GetProperty("original").GetString());
        foreach (var field in new[] { "time", "hostname", "username", "paths", "tags", "status" })
        {
            Assert.Equal(original.GetProperty(field).ToString(), copied.GetProperty(field).ToString());
        }

        // Keyed ids: the same content has other blob and tree ids in the destination.
        Assert.NotEqual(original.GetProperty("tree").GetString(), copied.GetProperty("tree").GetString());
    }

    // Encrypted to encrypted is the awkward-tree test above. No (false, false) case: the copier does not branch on
    // encryption, and reading a plain source (false, true) and writing a plain destination (true, false) are both here.
    /// <summary>
    /// Encryption and hash combinations: between two unencrypted repositories of different hashes (a SHA-256 one of
    /// config version 2 and a BLAKE3 one) the ids differ and must be rewritten, which `verify --read-data` proves by
    /// recomputing every blob id with the destination's hash.
    /// </summary>
    [Theory]
    [InlineData(true, false, "blake3", "blake3")]
    [InlineData(false, true, "blake3", "blake3")]
    [InlineData(false, false, "sha256", "blake3")]
    [InlineData(false, false, "blake3", "sha256")]
    [InlineData(true, true, "sha256", "blake3")]
    public async Task Copy_EncryptionCombinations_RestoresByteIdenticalAndVerifies(bool sourceEncrypted, bool destinationEncrypted, string sourceHash, string destinationHash)
    {
        using var temp = new TempDirectory();
        var source = temp.Sub("src");
        var generator = new TreeGenerator(22);
        generator.File(Path.Combine(source, "prom", "chunks", "000001"), 2_500_000, compressible: false);
        generator.File(Path.Combine(source, "grafana.db"), 300_000);
        File.WriteAllBytes(Path.Combine(source, "empty"), []);
        File.CreateSymbolicLink(Path.Combine(source, "link"), "grafana.db");
        var pair = new CopyPair(temp);
        await pair.InitAsync(sourceEncrypted, destinationEncrypted, sourceHash, destinationHash);
        await pair.Source.RunOkAsync("backup", source);

        await pair.CopyAsync();
        Assert.Contains(destinationHash == "sha256" ? "\"version\":2" : "\"version\":3", File.ReadAllText(Path.Combine(pair.Destination.Repository, "config")));

        await pair.Destination.RunOkAsync("verify", "--read-data");
        var target = temp.Sub("restore");
        await pair.Destination.RunOkAsync("restore", "latest", "--target", target);
        TreeComparer.AssertSame(source, target + source);
    }

    [Fact]
    public async Task Copy_SecondRun_TransfersNothingAndSkipsEverySnapshot()
    {
        using var temp = new TempDirectory();
        var source = temp.Sub("src");
        new TreeGenerator(23).File(Path.Combine(source, "a.bin"), 3_000_000, compressible: false);
        var pair = new CopyPair(temp);
        await pair.InitAsync();
        await pair.Source.RunOkAsync("backup", source);
        new TreeGenerator(24).File(Path.Combine(source, "b.bin"), 500_000);
        await pair.Source.RunOkAsync("backup", source);
        await pair.CopyAsync();
        var packsBefore = CopyPair.Packs(pair.Destination.Repository);
        var indexBefore = RepositoryFiles.Objects(pair.Destination.Repository, "index");

        var second = await pair.CopyAsync();

        Assert.Equal(0, second.GetProperty("snapshots_copied").GetInt32());
        Assert.Equal(2, second.GetProperty("snapshots_skipped").GetInt32());
        Assert.Equal(0, second.GetProperty("data_blobs").GetInt64());
        Assert.Equal(0, second.GetProperty("packs").GetInt64());
        Assert.Equal(packsBefore, CopyPair.Packs(pair.Destination.Repository));
        Assert.Equal(indexBefore, RepositoryFiles.Objects(pair.Destination.Repository, "index"));
        Assert.Equal(2, (await CopyPair.SnapshotsAsync(pair.Destination)).Count);
    }

    [Fact]
    public async Task Copy_AfterSourceGrew_TransfersOnlyTheNewData()
    {
        using var temp = new TempDirectory();
        var source = temp.Sub("src");
        var generator = new TreeGenerator(25);
        for (var i = 0; i < 4; i++)
        {
            generator.File(Path.Combine(source, "blocks", $"b{i}"), 2_000_000, compressible: false);
        }

        var pair = new CopyPair(temp);
        await pair.InitAsync();
        await pair.Source.RunOkAsync("backup", source);
        await pair.CopyAsync();
        var before = CopyPair.Packs(pair.Destination.Repository);
        generator.File(Path.Combine(source, "blocks", "new"), 600_000, compressible: false);
        // The new file is one chunk or two: the chunker's seed is random per repository, and a cut may fall inside it.
        var grown = (await pair.Source.RunOkAsync("backup", source, "--json")).Message("summary").GetProperty("data_blobs").GetInt64();
        Assert.InRange(grown, 1, 2);

        var second = await pair.CopyAsync();

        var after = CopyPair.Packs(pair.Destination.Repository);
        Assert.Equal(1, second.GetProperty("snapshots_copied").GetInt32());
        Assert.Equal(1, second.GetProperty("snapshots_skipped").GetInt32());
        Assert.Equal(grown, second.GetProperty("data_blobs").GetInt64()); // exactly the new file's chunks
        Assert.True(second.GetProperty("blobs_reused").GetInt64() >= 4, second.ToString()); // the old files were taken over, not read
        var growth = after.Bytes - before.Bytes;
        Assert.InRange(growth, 600_000, 700_000); // the new file (incompressible) and a few small trees, not the 8 MB already there
        var copies = await CopyPair.SnapshotsAsync(pair.Destination);
        Assert.Equal(copies[0].GetProperty("id").GetString(), copies[1].GetProperty("parent").GetString()); // the parent points at the parent's copy
        var target = temp.Sub("restore");
        await pair.Destination.RunOkAsync("restore", "latest", "--target", target);
        TreeComparer.AssertSame(source, target + source);
        await pair.Destination.RunOkAsync("verify", "--read-data");
    }

    [Fact]
    public async Task Copy_BackToTheSource_SkipsTheOriginals()
    {
        using var temp = new TempDirectory();
        var source = temp.Sub("src");
        new TreeGenerator(26).File(Path.Combine(source, "a"), 100_000);
        var pair = new CopyPair(temp);
        await pair.InitAsync();
        await pair.Source.RunOkAsync("backup", source);
        await pair.CopyAsync();
        pair.Source.Environment["STACKVAULT_FROM_PASSWORD"] = "destination-password";

        var back = (await pair.Source.RunOkAsync("copy", "--from-repo", pair.Destination.Repository, "--json")).Json();

        Assert.Equal(0, back.GetProperty("snapshots_copied").GetInt32());
        Assert.Single(await CopyPair.SnapshotsAsync(pair.Source));
    }

    [Fact]
    public async Task Copy_SelectionByIdTagHostAndLatest_CopiesOnlyThose()
    {
        using var temp = new TempDirectory();
        var source = temp.Sub("src");
        var generator = new TreeGenerator(27);
        var pair = new CopyPair(temp);
        await pair.InitAsync();
        foreach (var (host, tag) in new[] { ("a", "x"), ("a", "y"), ("b", "x"), ("b", "y") })
        {
            generator.File(Path.Combine(source, $"{host}{tag}"), 10_000);
            await pair.Source.RunOkAsync("backup", source, "--host", host, "--tag", tag);
        }

        var ids = (await CopyPair.SnapshotsAsync(pair.Source)).Select(s => s.GetProperty("id").GetString()!).ToList();

        Assert.Equal(1, (await pair.CopyAsync(ids[1][..8])).GetProperty("snapshots_copied").GetInt32());
        Assert.Equal(1, (await pair.CopyAsync("--host", "b", "--tag", "x")).GetProperty("snapshots_copied").GetInt32());
        var latest = await pair.CopyAsync("--latest");
        Assert.Equal(ids[3], latest.GetProperty("snapshots")[0].GetProperty("source_id").GetString());
        var originals = (await CopyPair.SnapshotsAsync(pair.Destination)).Select(s => s.GetProperty("original").GetString()).ToHashSet();
        Assert.Equal(new HashSet<string?> { ids[1], ids[2], ids[3] }, originals);
    }
}
