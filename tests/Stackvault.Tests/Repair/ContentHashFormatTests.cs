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
    /// The CLI hashes with the BLAKE3 team's Rust implementation (libblake3_dotnet.so), which picks its AVX-512, AVX2,
    /// SSE4.1 or portable code by the CPU it runs on, and a repository written on one machine is read on another. So
    /// every blob id and pack name it writes, plain and keyed, over sizes at BLAKE3's boundaries (its 1 KiB chunks, 16
    /// chunks at once in AVX-512 registers, the tree above them), must be what an independent implementation computes:
    /// tools/recover.py's pure Python BLAKE3 (the specification, checked against b3sum's answers) restores the snapshot
    /// with no warning, every id recomputed and every pack's name checked.
    /// </summary>
    [Fact]
    public async Task Blake3_IdsAndPackNames_AreThoseOfAnIndependentImplementation()
    {
        using var temp = new TempDirectory();
        var source = temp.Sub("src");
        var generator = new TreeGenerator(8);
        foreach (var size in new[] { 1, 1023, 1024, 1025, 16_383, 16_385, 102_400, 1_100_001 })
        {
            generator.File(Path.Combine(source, $"f{size}"), size, compressible: size % 2 == 0);
        }

        foreach (var encrypted in new[] { true, false })
        {
            var cli = new CliRunner(temp.Sub($"repo-{encrypted}"));
            await cli.InitAsync(["--pack-size", "1", .. encrypted ? Array.Empty<string>() : ["--no-encryption"]]);
            await cli.RunOkAsync("backup", source);
            Assert.True(Directory.GetFiles(Path.Combine(cli.Repository, "data"), "*", SearchOption.AllDirectories).Length >= 2);

            var target = temp.Sub($"recovered-{encrypted}");
            var start = new System.Diagnostics.ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { Path.Combine(S3rverFixture.RepositoryRoot, "tools", "recover.py"), "--repo", cli.Repository, "--snapshot", "latest", "--target", target, "--blake3", "python" })
            {
                start.ArgumentList.Add(arg);
            }

            start.Environment["STACKVAULT_PASSWORD"] = "test-password";
            using var recover = System.Diagnostics.Process.Start(start)!;
            var stdout = recover.StandardOutput.ReadToEndAsync();
            var stderr = await recover.StandardError.ReadToEndAsync();
            await recover.WaitForExitAsync();
            Assert.True(recover.ExitCode == 0, $"recover.py exit {recover.ExitCode}: {stderr}");
            Assert.DoesNotContain("warning", stderr, StringComparison.Ordinal); // a pack whose name is not its BLAKE3
            Assert.Contains("recovered snapshot", await stdout, StringComparison.Ordinal);
            TreeComparer.AssertSame(source, target + source);
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
