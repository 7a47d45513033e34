using System.Collections.Concurrent;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Buckets;

/// <summary>
/// Bucket backup from Azure Blob (Azurite) through <see cref="CuttingS3ProxyStandIn"/>, which cuts a blob's first
/// download mid-body: the Azure SDK resumes it with a range request naming the first answer's ETag (If-Match). A blob
/// left as it was is read whole; a blob replaced before the resume is refused by Azurite (412) and left out, named,
/// while the rest of the bucket is backed up (before, the refusal ended the whole backup as an internal error).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureBucketResumeTests(AzuriteFixture azurite)
{
    private const string Victim = "pg/dop-202611010000.dump.gz";
    private const string Other = "pg/dop-202611020000.dump.gz";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Backup_DownloadCutMidBody_ResumedForTheSameBlob_ReplacedBlobLeftOutNamed(bool replacedBeforeResume)
    {
        using var temp = new TempDirectory();
        var container = await azurite.NewContainerAsync();
        var blobs = azurite.CreateClient().GetBlobContainerClient(container);
        var random = new Random(3);
        var original = new byte[3_000_000];
        random.NextBytes(original);
        var other = new byte[200_000];
        random.NextBytes(other);
        var replacement = original.ToArray();
        replacement[0] ^= 0xFF; // the same size, other bytes in both halves
        replacement[^1] ^= 0xFF;
        var firstEtag = (await blobs.GetBlobClient(Victim).UploadAsync(new BinaryData(original), overwrite: true)).Value.ETag.ToString().Trim('"');
        await blobs.GetBlobClient(Other).UploadAsync(new BinaryData(other), overwrite: true);
        var resumes = new ConcurrentQueue<(string? Range, string? IfMatch)>();
        bool IsVictim(System.Net.HttpListenerRequest r) => r.HttpMethod == "GET" && r.RawUrl!.Contains(Victim, StringComparison.Ordinal);
        bool Ranged(System.Net.HttpListenerRequest r) => (r.Headers["x-ms-range"] ?? r.Headers["Range"]) is not null;
        await using var proxy = new CuttingS3ProxyStandIn(
            new Uri($"http://127.0.0.1:{azurite.Port}"),
            request => IsVictim(request) && !Ranged(request),
            CuttingS3ProxyStandIn.CutMode.Reset,
            hold: async request =>
            {
                if (IsVictim(request) && Ranged(request) && resumes.IsEmpty)
                {
                    resumes.Enqueue((request.Headers["x-ms-range"] ?? request.Headers["Range"], request.Headers["If-Match"]));
                    if (replacedBeforeResume)
                    {
                        await blobs.GetBlobClient(Victim).UploadAsync(new BinaryData(replacement), overwrite: true);
                    }
                }
            });
        var cli = await ThroughProxyAsync(temp, proxy);

        var run = await cli.ExpectAsync(replacedBeforeResume ? 3 : 0, "bucket", "backup", "--source", $"azure://{container}", "--layout", "generic");

        Assert.Equal(1, proxy.Cuts);
        var (range, ifMatch) = Assert.Single(resumes);
        Assert.StartsWith("bytes=", range, StringComparison.Ordinal);
        Assert.Equal(firstEtag, ifMatch?.Trim('"')); // the resumed download named the blob it had begun
        var restored = temp.Sub("restored");
        await cli.RunOkAsync("restore", "latest", "--target", restored);
        var root = Path.Combine(restored, "bucket");
        Assert.Equal(other, await File.ReadAllBytesAsync(Path.Combine(root, Other)));
        if (replacedBeforeResume)
        {
            Assert.Contains($"'{Victim}': the blob changed while it was read", run.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("internal error", run.Stderr, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(root, Victim)), "a blob joined from two versions was stored");
        }
        else
        {
            Assert.Equal(original, await File.ReadAllBytesAsync(Path.Combine(root, Victim)));
        }
    }

    /// <summary>
    /// A blob whose bytes arrive damaged (the proxy flips one in the middle of the body, every header intact) is
    /// checked against its Content-MD5 (Azurite, like Azure, stores one for a blob put in one request): left out,
    /// named, the rest of the container backed up. Before, the damaged bytes were stored as the blob without a word.
    /// </summary>
    [Fact]
    public async Task Backup_DownloadDamagedInTransfer_CheckedByContentMd5_BlobLeftOutNamed()
    {
        using var temp = new TempDirectory();
        var container = await azurite.NewContainerAsync();
        var blobs = azurite.CreateClient().GetBlobContainerClient(container);
        var random = new Random(5);
        var victim = new byte[1_000_000];
        random.NextBytes(victim);
        var other = new byte[200_000];
        random.NextBytes(other);
        await blobs.GetBlobClient(Victim).UploadAsync(new BinaryData(victim), overwrite: true);
        await blobs.GetBlobClient(Other).UploadAsync(new BinaryData(other), overwrite: true);
        var md5 = (await blobs.GetBlobClient(Victim).GetPropertiesAsync()).Value.ContentHash;
        Assert.Equal(System.Security.Cryptography.MD5.HashData(victim), md5); // the emulator stored the blob's MD5
        await using var proxy = new CuttingS3ProxyStandIn(
            new Uri($"http://127.0.0.1:{azurite.Port}"),
            request => request.HttpMethod == "GET" && request.RawUrl!.Contains(Victim, StringComparison.Ordinal),
            CuttingS3ProxyStandIn.CutMode.Corrupt);
        var cli = await ThroughProxyAsync(temp, proxy);

        var run = await cli.ExpectAsync(3, "bucket", "backup", "--source", $"azure://{container}", "--layout", "generic");

        Assert.Equal(1, proxy.Cuts);
        Assert.Contains($"'{Victim}': the {victim.Length} bytes read do not match the blob's Content-MD5 (", run.Stderr, StringComparison.Ordinal);
        Assert.Contains($", stored {Convert.ToHexStringLower(md5)}): damaged in transfer", run.Stderr, StringComparison.Ordinal);
        var restored = temp.Sub("restored");
        await cli.RunOkAsync("restore", "latest", "--target", restored);
        var root = Path.Combine(restored, "bucket");
        Assert.Equal(other, await File.ReadAllBytesAsync(Path.Combine(root, Other)));
        Assert.False(File.Exists(Path.Combine(root, Victim)), "the damaged blob was stored");
    }

    /// <summary>A CLI with a fresh repository whose Azure requests go through <paramref name="proxy"/>.</summary>
    private async Task<CliRunner> ThroughProxyAsync(TempDirectory temp, CuttingS3ProxyStandIn proxy)
    {
        var cli = new CliRunner(temp.Sub("repo"));
        foreach (var (name, value) in azurite.Environment)
        {
            cli.Environment[name] = value;
        }

        cli.Environment["AZURE_STORAGE_BLOB_ENDPOINT"] = proxy.Endpoint + AzuriteFixture.Account;
        await cli.InitAsync();
        return cli;
    }
}
