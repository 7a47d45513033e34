using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Stackvault.Crypto;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Repair;

/// <summary>
/// Config version 3 and the repository's hash (docs/design.md sections 4 and 10): a new repository names its packs and
/// identifies its blobs with BLAKE3 and says so in a version-3 config; <c>init --hash sha256</c> writes the version-2
/// format builds before it read; a config whose hash field is missing, unknown or out of place is refused, never read
/// with a default.
/// </summary>
public class ContentHashFormatTests
{
    [Theory]
    [InlineData("blake3", 3)]
    [InlineData("sha256", 2)]
    public async Task Init_WritesTheHashItsVersionNamesAndEveryPackIsNamedByIt(string hash, int version)
    {
        using var temp = new TempDirectory();
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync("--no-encryption", "--pack-size", "1", "--hash", hash);
        var (envelope, body) = ReadConfig(cli.Repository);
        Assert.Equal(version, envelope["version"]!.GetValue<int>());
        Assert.Equal(version, body["version"]!.GetValue<int>());
        Assert.Equal(hash == "blake3" ? "blake3" : null, body["hash"]?.GetValue<string>());

        var source = temp.Sub("src");
        var generator = new TreeGenerator(5);
        generator.File(Path.Combine(source, "a.bin"), 3_000_000, compressible: false);
        generator.File(Path.Combine(source, "b.txt"), 200_000);
        await cli.RunOkAsync("backup", source);

        // Every pack's name is its stored bytes' hash under the configured algorithm, and not under the other one.
        var named = ContentHash.Named(hash);
        var other = named == ContentHash.Blake3 ? ContentHash.Sha256 : ContentHash.Blake3;
        var packs = Directory.GetFiles(Path.Combine(cli.Repository, "data"), "*", SearchOption.AllDirectories);
        Assert.True(packs.Length >= 2, $"{packs.Length} packs");
        foreach (var pack in packs)
        {
            var bytes = await File.ReadAllBytesAsync(pack);
            Assert.Equal(Path.GetFileName(pack), named.PackId(bytes).ToString());
            Assert.NotEqual(Path.GetFileName(pack), other.PackId(bytes).ToString());
        }

        // Index files and snapshots stay SHA-256 in both.
        foreach (var kind in new[] { "index", "snapshots" })
        {
            var files = Directory.GetFiles(Path.Combine(cli.Repository, kind));
            Assert.NotEmpty(files);
            foreach (var file in files)
            {
                Assert.Equal(Path.GetFileName(file), Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(file))));
            }
        }

        await cli.RunOkAsync("verify", "--read-data");
        var target = temp.Sub("restore");
        await cli.RunOkAsync("restore", "latest", "--target", target);
        TreeComparer.AssertSame(source, target + source);
    }

    /// <summary>
    /// Blake3.NET picks its code path by the machine's vector width (AVX-512, AVX2, SSE4.1, scalar), and a repository
    /// written on one machine is read on another: a backup made with AVX-512, or AVX2, or every hardware intrinsic
    /// switched off (the runtime's own switches) must verify, every blob id and pack name recomputed, on the full path.
    /// The JIT's listing of the backup proves the switch took: the narrower path's method was compiled and the wider
    /// one's was not (.NET 10 ignores the older DOTNET_EnableAVX512F, which this test once used, so that case wrote on
    /// the full AVX-512 path and the AVX2 path went untested).
    /// </summary>
    [Theory]
    [InlineData("DOTNET_EnableAVX512", "Hash8ChunksAvx2", "Compress16")]
    [InlineData("DOTNET_EnableAVX2", "CompressSse41", "Hash8ChunksAvx2")]
    [InlineData("DOTNET_EnableHWIntrinsic", "CompressScalar", "CompressSse41")]
    public async Task Blake3_EveryVectorPath_GivesTheSameIdsAndPackNames(string switchedOff, string narrowPath, string widerPath)
    {
        Assert.Equal(System.Runtime.InteropServices.Architecture.X64, System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture); // the switches and paths named are x86-64's
        using var temp = new TempDirectory();
        var source = temp.Sub("src");
        var generator = new TreeGenerator(8);
        foreach (var size in new[] { 1, 1023, 1024, 1025, 16_385, 102_400, 3_000_001 })
        {
            generator.File(Path.Combine(source, $"f{size}"), size, compressible: size % 2 == 0);
        }

        foreach (var encrypted in new[] { true, false })
        {
            var narrow = new CliRunner(temp.Sub($"repo-{encrypted}")) { UseManagedBuild = true }; // the switches are the JIT's
            await narrow.InitAsync(["--pack-size", "1", .. encrypted ? Array.Empty<string>() : ["--no-encryption"]]);
            var listing = Path.Combine(temp.Path, $"jit-{encrypted}.txt");
            narrow.Environment[switchedOff] = "0";
            narrow.Environment["DOTNET_JitDisasm"] = $"{narrowPath} {widerPath}";
            narrow.Environment["DOTNET_JitStdOutFile"] = listing;
            await narrow.RunOkAsync("backup", source);
            var compiled = File.ReadAllText(listing);
            Assert.Contains($"Blake3ManagedCore:{narrowPath}(", compiled, StringComparison.Ordinal);
            Assert.DoesNotContain($"Blake3ManagedCore:{widerPath}(", compiled, StringComparison.Ordinal);

            var full = new CliRunner(narrow.Repository);
            var run = await full.RunOkAsync("verify", "--read-data");
            Assert.Contains("no errors", run.Stdout + run.Stderr, StringComparison.Ordinal);
            Assert.True(Directory.GetFiles(Path.Combine(narrow.Repository, "data"), "*", SearchOption.AllDirectories).Length >= 2);
        }
    }

    [Fact]
    public async Task VerifyReadData_PackRenamedToAnotherHashOfItsBytes_IsCorrupt()
    {
        // A BLAKE3 repository whose pack is stored under the SHA-256 of its bytes (a writer with the wrong hash):
        // verify --read-data checks names with the repository's hash and names the pack.
        using var temp = new TempDirectory();
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync("--no-encryption");
        var source = temp.Sub("src");
        new TreeGenerator(6).File(Path.Combine(source, "a.bin"), 100_000);
        await cli.RunOkAsync("backup", source);
        var pack = Assert.Single(Directory.GetFiles(Path.Combine(cli.Repository, "data"), "*", SearchOption.AllDirectories));
        var bytes = await File.ReadAllBytesAsync(pack);
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var moved = Path.Combine(cli.Repository, "data", sha[..2], sha);
        Directory.CreateDirectory(Path.GetDirectoryName(moved)!);
        File.Move(pack, moved);
        await cli.RunOkAsync("repair", "index"); // the index now names the pack by its SHA-256

        var run = await cli.ExpectAsync(1, "verify", "--read-data");
        Assert.Contains("content hash (blake3)", run.Stdout + run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(3, null, "version 3 needs a 'hash' field")]
    [InlineData(3, "md5", "hash 'md5' is not one of sha256, blake3")]
    [InlineData(3, "BLAKE3", "hash 'BLAKE3' is not one of")]
    [InlineData(2, "blake3", "a version-2 config has no 'hash' field")]
    public async Task Config_HashFieldMissingUnknownOrOutOfPlace_IsRefusedByName(int version, string? hash, string message)
    {
        using var temp = new TempDirectory();
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync("--no-encryption");
        var source = temp.Sub("src");
        new TreeGenerator(7).File(Path.Combine(source, "a.bin"), 10_000);
        await cli.RunOkAsync("backup", source);
        var path = Path.Combine(cli.Repository, "config");
        var (envelope, body) = ReadConfig(cli.Repository);
        envelope["version"] = version;
        body["version"] = version;
        body.Remove("hash");
        if (hash is not null)
        {
            body["hash"] = hash;
        }

        // The envelope's checksum is recomputed, so what is refused is the field, not the checksum.
        var bodyBytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        envelope["config"] = Convert.ToBase64String(bodyBytes);
        envelope["sha256"] = Convert.ToHexStringLower(SHA256.HashData(bodyBytes));
        await File.WriteAllTextAsync(path, envelope.ToJsonString());

        foreach (var command in new[] { new[] { "snapshots" }, ["restore", "latest", "--target", temp.Sub("t")], ["verify"] })
        {
            var run = await cli.ExpectAsync(1, command);
            Assert.Contains("corrupt object config", run.Stderr, StringComparison.Ordinal);
            Assert.Contains(message, run.Stderr, StringComparison.Ordinal);
        }

        Assert.False(Directory.Exists(temp.Sub("t")));
    }

    [Fact]
    public async Task Config_Version4_AsksForANewerStackvault()
    {
        using var temp = new TempDirectory();
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync("--no-encryption");
        var path = Path.Combine(cli.Repository, "config");
        var (envelope, _) = ReadConfig(cli.Repository);
        envelope["version"] = 4;
        await File.WriteAllTextAsync(path, envelope.ToJsonString());
        var run = await cli.ExpectAsync(1, "snapshots");
        Assert.Contains("upgrade Stackvault", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Init_UnknownHash_IsAUsageErrorAndWritesNothing()
    {
        using var temp = new TempDirectory();
        var cli = new CliRunner(temp.Sub("repo"));
        var run = await cli.ExpectAsync(2, "init", "--no-encryption", "--hash", "md5");
        Assert.Contains("md5", run.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(cli.Repository, "config")));
    }

    private static (JsonObject Envelope, JsonObject Body) ReadConfig(string repository)
    {
        var envelope = JsonNode.Parse(File.ReadAllBytes(Path.Combine(repository, "config")))!.AsObject();
        var body = JsonNode.Parse(Convert.FromBase64String(envelope["config"]!.GetValue<string>()))!.AsObject();
        return (envelope, body);
    }
}
