using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Repair;

/// <summary>Issue 14.6: `config` is authenticated (checksum always, MAC under the master key when encrypted), checked on every open.</summary>
public class ConfigAuthenticationTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task EverySampledByteFlip_IsDetectedOnOpen(bool encrypted)
    {
        using var temp = new TempDirectory();
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync(encrypted ? [] : ["--no-encryption"]);
        var config = Path.Combine(cli.Repository, "config");
        var original = await File.ReadAllBytesAsync(config);
        var seed = Environment.TickCount;
        var random = new Random(seed);
        for (var i = 0; i < 5; i++) // every bit of every byte is checked in process below
        {
            var offset = random.Next(original.Length);
            var flipped = (byte[])original.Clone();
            flipped[offset] ^= (byte)(1 << random.Next(8));
            await File.WriteAllBytesAsync(config, flipped);
            var run = await cli.RunAsync("snapshots");
            Assert.True(run.ExitCode == 1 && run.Stderr.Contains("config", StringComparison.Ordinal),
                $"seed {seed}: a flip at byte {offset} of config went undetected or unnamed: {run}");
        }

        await File.WriteAllBytesAsync(config, original);
        await cli.RunOkAsync("snapshots");
    }

    /// <summary>
    /// Every bit of every byte, in process (the CLI test above samples a dozen): each single-bit flip of a stored
    /// config is a named corruption or an unsupported version, never an unexpected exception and never accepted.
    /// A flip that makes a byte invalid UTF-8 once escaped as an internal error.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void EveryBitFlip_IsACorruptionOrAnUnsupportedVersion(bool encrypted)
    {
        var key = encrypted ? Stackvault.Crypto.MasterKey.Generate() : null;
        var config = new Stackvault.Repository.Model.RepositoryConfig
        {
            Id = new string('a', 64),
            Created = DateTimeOffset.UnixEpoch,
            Encryption = encrypted ? "aes-256-gcm" : "none",
            ChunkerSeed = encrypted ? null : "0123456789abcdef",
            Hash = "blake3",
        };
        var stored = Stackvault.Repository.ConfigCodec.Encode(config, key);
        var parsed = Stackvault.Repository.ConfigCodec.Decode(stored);
        if (key is not null)
        {
            Stackvault.Repository.ConfigCodec.CheckMac(parsed, key);
        }

        for (var offset = 0; offset < stored.Length; offset++)
        {
            for (var bit = 0; bit < 8; bit++)
            {
                var flipped = (byte[])stored.Clone();
                flipped[offset] ^= (byte)(1 << bit);
                try
                {
                    var decoded = Stackvault.Repository.ConfigCodec.Decode(flipped);
                    if (key is not null)
                    {
                        Stackvault.Repository.ConfigCodec.CheckMac(decoded, key);
                    }

                    Assert.Fail($"a flip of bit {bit} at byte {offset} was accepted");
                }
                catch (Exception e) when (e is Stackvault.Errors.CorruptObjectException or Stackvault.Errors.UnsupportedVersionException)
                {
                }
            }
        }
    }

    [Fact]
    public async Task EncryptedConfig_RewrittenWithAMatchingChecksum_FailsItsMac()
    {
        using var temp = new TempDirectory();
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        var config = Path.Combine(cli.Repository, "config");
        var envelope = JsonNode.Parse(await File.ReadAllBytesAsync(config))!.AsObject();
        var body = JsonNode.Parse(Convert.FromBase64String(envelope["config"]!.GetValue<string>()))!.AsObject();
        body["pack_size"] = 1 << 20;
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        envelope["config"] = Convert.ToBase64String(bytes);
        envelope["sha256"] = Convert.ToHexStringLower(SHA256.HashData(bytes));
        await File.WriteAllTextAsync(config, envelope.ToJsonString());

        var run = await cli.ExpectAsync(1, "snapshots");
        Assert.Contains("mac does not verify", run.Stderr, StringComparison.Ordinal);
        var recover = await RecoverListAsync(cli.Repository);
        Assert.True(recover.ExitCode != 0 && recover.Stderr.Contains("mac", StringComparison.Ordinal), recover.Stderr);
    }

    [Fact]
    public async Task VersionOneConfig_StillOpens_ButUnknownOrMalformedFieldsAreErrors()
    {
        using var temp = new TempDirectory();
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync("--no-encryption", "--hash", "sha256"); // version 1 configs are SHA-256 repositories
        var source = temp.Sub("src");
        new TreeGenerator(3).File(Path.Combine(source, "f.txt"), 5000);
        await cli.RunOkAsync("backup", source);
        var config = Path.Combine(cli.Repository, "config");
        var envelope = JsonNode.Parse(await File.ReadAllBytesAsync(config))!.AsObject();
        var body = JsonNode.Parse(Convert.FromBase64String(envelope["config"]!.GetValue<string>()))!.AsObject();
        body["version"] = 1;
        body["is_encrypted"] = false; // early builds wrote it; still read
        var v1 = body.ToJsonString();
        await File.WriteAllTextAsync(config, v1);
        await cli.RunOkAsync("restore", "latest", "--target", temp.Sub("restore"));
        Assert.Equal(0, (await RecoverListAsync(cli.Repository)).ExitCode);

        foreach (var (bad, why) in new[]
        {
            (v1.Replace("\"pack_size\"", "\"p\\u0084ck_size\"", StringComparison.Ordinal), "p\u0084ck_size"),
            (v1.Replace("\"chunk_max_size\"", "\"chunU_max_size\"", StringComparison.Ordinal), "chunU_max_size"),
            (v1.Replace("\"id\":\"", "\"id\":\"g", StringComparison.Ordinal).Replace("\",\"created\"", "\",\"created\"", StringComparison.Ordinal), "id"),
        })
        {
            var text = why == "id" ? FixIdLength(bad) : bad;
            await File.WriteAllTextAsync(config, text);
            var run = await cli.ExpectAsync(1, "snapshots");
            Assert.Contains("config", run.Stderr, StringComparison.Ordinal);
            Assert.NotEqual(0, (await RecoverListAsync(cli.Repository)).ExitCode);
        }
    }

    /// <summary>Keeps the id 64 characters long after a 'g' was put in front (drops its last digit).</summary>
    private static string FixIdLength(string json)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        var id = node["id"]!.GetValue<string>();
        node["id"] = id[..64];
        return node.ToJsonString();
    }

    private static async Task<CliResult> RecoverListAsync(string repository)
    {
        var start = new ProcessStartInfo("python3") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { Path.Combine(S3rverFixture.RepositoryRoot, "tools", "recover.py"), "--repo", repository, "--list" })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["STACKVAULT_PASSWORD"] = "test-password";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new CliResult(process.ExitCode, await stdout, stderr);
    }

    internal static JsonElement Parse(string text) => JsonDocument.Parse(text).RootElement;
}
