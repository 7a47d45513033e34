using System.Collections.Concurrent;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Buckets;

/// <summary>
/// Downloads that stall mid-body (the server sends half an object and then nothing, the connection staying open) or
/// arrive damaged, through <see cref="CuttingS3ProxyStandIn"/>; STACKVAULT_S3_IDLE_TIMEOUT keeps the stalls short.
/// </summary>
[Collection(S3rverCollection.Name)]
public sealed class BucketStallTests(S3rverFixture server)
{
    [Fact]
    public async Task Backup_DownloadsStallMidBody_ResumedAfterIdleTimeout_SnapshotCompleteAndByteIdentical()
    {
        using var bed = new BucketTestBed(server);
        var (bucket, layout) = await bed.MimirBucketAsync();
        await bed.Cli.InitAsync();
        bed.Cli.Environment["STACKVAULT_S3_IDLE_TIMEOUT"] = "0.5";
        var stalledOnce = new ConcurrentDictionary<string, bool>();
        await using var proxy = new CuttingS3ProxyStandIn(server.Endpoint, request =>
            request.RawUrl!.Contains("/chunks/", StringComparison.Ordinal) && stalledOnce.TryAdd(request.RawUrl, true), CuttingS3ProxyStandIn.CutMode.Stall);

        await bed.Cli.RunOkAsync("bucket", "backup", "--source", bed.Url(bucket, proxy.Endpoint), "--layout", "mimir", "--tenant", "t2");

        Assert.True(proxy.Cuts >= 1, "no download stalled");
        var show = (await bed.Cli.RunOkAsync("show", "latest", "--no-list", "--json")).Json().GetProperty("snapshot");
        Assert.Equal(0, show.GetProperty("errors").GetArrayLength());
        var restored = bed.Temp.Sub("restored");
        await bed.Cli.RunOkAsync("restore", "latest", "--target", restored);
        BucketTestBed.AssertSameObjects(layout.Root, layout.DefaultSelection.Where(k => k.StartsWith("t2/", StringComparison.Ordinal)), Path.Combine(restored, "bucket"));
    }

    [Fact]
    public async Task Backup_DownloadAlwaysStalls_ObjectReportedUnreadable_SnapshotPartial_RepositoryVerifies()
    {
        using var bed = new BucketTestBed(server);
        var (bucket, layout) = await bed.MimirBucketAsync();
        await bed.Cli.InitAsync();
        bed.Cli.Environment["STACKVAULT_S3_IDLE_TIMEOUT"] = "0.3";
        var victim = layout.Complete[0] + "/index";
        await using var proxy = new CuttingS3ProxyStandIn(server.Endpoint, request => request.RawUrl!.EndsWith(victim, StringComparison.Ordinal), CuttingS3ProxyStandIn.CutMode.Stall);

        var result = await bed.Cli.ExpectAsync(3, "bucket", "backup", "--source", bed.Url(bucket, proxy.Endpoint), "--layout", "mimir");

        Assert.Equal(6, proxy.Cuts); // the first read and five resumes, each stalled
        Assert.Contains(victim, result.Stderr, StringComparison.Ordinal);
        Assert.Contains("nothing received for 0.3 s", result.Stderr, StringComparison.Ordinal);
        var show = (await bed.Cli.RunOkAsync("show", "latest", "--no-list", "--json")).Json().GetProperty("snapshot");
        Assert.Single(show.GetProperty("errors").EnumerateArray(), e => e.ToString().Contains(victim, StringComparison.Ordinal));
        await bed.Cli.RunOkAsync("verify", "--read-data");
    }

    [Fact]
    public async Task Backup_DownloadDamagedInTransfer_DetectedByEtag_ObjectLeftOut()
    {
        using var bed = new BucketTestBed(server);
        var (bucket, layout) = await bed.MimirBucketAsync();
        await bed.Cli.InitAsync();
        var victim = layout.Complete[0] + "/index";
        await using var proxy = new CuttingS3ProxyStandIn(server.Endpoint, request => request.RawUrl!.EndsWith(victim, StringComparison.Ordinal), CuttingS3ProxyStandIn.CutMode.Corrupt);

        var result = await bed.Cli.ExpectAsync(3, "bucket", "backup", "--source", bed.Url(bucket, proxy.Endpoint), "--layout", "mimir");

        Assert.Equal(1, proxy.Cuts);
        Assert.Contains("do not match the object's ETag", result.Stderr, StringComparison.Ordinal);
        var restored = bed.Temp.Sub("restored");
        await bed.Cli.RunOkAsync("restore", "latest", "--target", restored);
        Assert.False(File.Exists(Path.Combine(restored, "bucket", victim)), "the damaged object was stored");
    }

    /// <summary>
    /// A read cut mid-body is resumed with a range request; if the object was replaced in between, the resumed bytes
    /// are another object's. Stackvault asks for the same object (If-Match on the first answer's ETag, which S3 and
    /// MinIO refuse with 412 and s3rver ignores) and compares the ETag it gets, so the two are never joined: the object
    /// is left out with a message naming the change. With a multipart-form ETag (rewritten by the proxy, standing in
    /// for AWS and MinIO) there is no MD5 to check the whole against: before this check the joined bytes, of the listed
    /// size, were stored as the object without a word.
    /// </summary>
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public async Task Backup_ObjectReplacedBetweenACutReadAndItsResume_LeftOutNamingTheChange_NeverJoined(bool multipartEtag, bool serverChecksIfMatch)
    {
        using var bed = new BucketTestBed(server);
        var (bucket, layout) = await bed.MimirBucketAsync();
        await bed.Cli.InitAsync();
        var victim = layout.Complete[0] + "/index";
        var original = await File.ReadAllBytesAsync(Path.Combine(layout.Root, victim));
        var replacement = original.ToArray();
        replacement[0] ^= 0xFF; // the same size, other bytes in both halves
        replacement[^1] ^= 0xFF;
        using var client = server.CreateClient();
        var resumed = new ConcurrentQueue<string?>();
        await using var proxy = new CuttingS3ProxyStandIn(
            server.Endpoint,
            request => request.RawUrl!.EndsWith(victim, StringComparison.Ordinal) && request.Headers["Range"] is null,
            CuttingS3ProxyStandIn.CutMode.Reset,
            hold: async request =>
            {
                if (request.RawUrl!.EndsWith(victim, StringComparison.Ordinal) && request.Headers["Range"] is not null && resumed.IsEmpty)
                {
                    resumed.Enqueue(request.Headers["If-Match"]);
                    await client.PutObjectAsync(new Amazon.S3.Model.PutObjectRequest { BucketName = bucket, Key = victim, InputStream = new MemoryStream(replacement), UseChunkEncoding = false });
                }
            })
        {
            ResponseEtag = multipartEtag ? (_, etag) => etag.TrimEnd('"') + "-2\"" : null,
            ChecksIfMatch = serverChecksIfMatch,
        };

        var result = await bed.Cli.ExpectAsync(3, "bucket", "backup", "--source", bed.Url(bucket, proxy.Endpoint), "--layout", "mimir");

        Assert.Equal(1, proxy.Cuts);
        using (var now = await client.GetObjectAsync(bucket, victim))
        using (var bytes = new MemoryStream())
        {
            await now.ResponseStream.CopyToAsync(bytes);
            Assert.Equal(replacement, bytes.ToArray()); // the object was replaced, same size, between the cut and the resume
        }

        var firstEtag = Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(original)) + (multipartEtag ? "-2" : string.Empty);
        Assert.Contains($"'{victim}': the object changed while it was read (ETag {firstEtag} up to byte", result.Stderr, StringComparison.Ordinal);
        var secondEtag = Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(replacement)) + (multipartEtag ? "-2" : string.Empty);
        Assert.Contains($", {(serverChecksIfMatch ? "another" : secondEtag)} when the broken read was resumed)", result.Stderr, StringComparison.Ordinal); // refused by the server, or seen here
        Assert.Equal($"\"{firstEtag}\"", Assert.Single(resumed)); // the resume asked for the object it had begun
        var restored = bed.Temp.Sub("restored");
        await bed.Cli.RunOkAsync("restore", "latest", "--target", restored);
        Assert.False(File.Exists(Path.Combine(restored, "bucket", victim)), "an object joined from two versions was stored");
        Assert.True(File.Exists(Path.Combine(restored, "bucket", layout.Complete[0], "meta.json")), "the rest of the block is stored");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("soon")]
    [InlineData("7200")]
    public async Task Backup_BadIdleTimeout_UsageErrorNamingTheVariable(string value)
    {
        using var bed = new BucketTestBed(server);
        await bed.Cli.InitAsync();
        bed.Cli.Environment["STACKVAULT_S3_IDLE_TIMEOUT"] = value;

        var result = await bed.Cli.ExpectAsync(2, "bucket", "verify", "--source", bed.Url("any-bucket"), "--layout", "mimir");

        Assert.Contains("STACKVAULT_S3_IDLE_TIMEOUT", result.Stderr, StringComparison.Ordinal);
    }
}
