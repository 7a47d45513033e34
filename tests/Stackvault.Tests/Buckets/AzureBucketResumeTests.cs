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
        var cli = new CliRunner(temp.Sub("repo"));
        foreach (var (name, value) in azurite.Environment)
        {
            cli.Environment[name] = value;
        }

        cli.Environment["AZURE_STORAGE_BLOB_ENDPOINT"] = proxy.Endpoint + AzuriteFixture.Account;
        await cli.InitAsync();

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
}
