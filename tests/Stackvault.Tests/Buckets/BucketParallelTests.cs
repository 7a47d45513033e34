using Stackvault.Tests.Support;

namespace Stackvault.Tests.Buckets;

/// <summary>
/// Bucket backup downloads the objects of different blocks at the same time (bounded by --concurrency), rather than
/// one block's handful of objects after another: a proxy holds each chunk download for a moment and records how many
/// were in flight together.
/// </summary>
[Collection(S3rverCollection.Name)]
public sealed class BucketParallelTests(S3rverFixture server)
{
    [Fact]
    public async Task Backup_SeveralBlocks_ChunksOfDifferentBlocksDownloadedConcurrently_WithinConcurrency()
    {
        using var bed = new BucketTestBed(server);
        var (bucket, layout) = await bed.MimirBucketAsync();
        await bed.Cli.InitAsync();
        var inFlight = 0;
        var most = 0;
        await using var proxy = new CuttingS3ProxyStandIn(server.Endpoint, _ => false, hold: async request =>
        {
            if (request.HttpMethod == "GET" && request.RawUrl!.Contains("/chunks/", StringComparison.Ordinal))
            {
                var now = Interlocked.Increment(ref inFlight);
                InterlockedMax(ref most, now);
                await Task.Delay(400); // awaited, not Thread.Sleep: a blocked pool thread on a busy 2-core machine serialised the downloads (CI saw 1)
                Interlocked.Decrement(ref inFlight);
            }
        });

        await bed.Cli.ExpectAsync(3, "bucket", "backup", "--source", bed.Url(bucket, proxy.Endpoint), "--layout", "mimir", "--concurrency", "3"); // 3: the corrupt block

        Assert.InRange(most, 2, 3); // every block has one chunk file: two at once means two blocks at once
        var restored = bed.Temp.Sub("restored");
        await bed.Cli.RunOkAsync("restore", "latest", "--target", restored);
        BucketTestBed.AssertSameObjects(layout.Root, layout.DefaultSelection, Path.Combine(restored, "bucket"));
    }

    /// <summary>
    /// Eight objects are read at once, each with a 2 MiB chunker buffer; a run of zeros makes maximum-size chunks, which
    /// need a full-size buffer, and only two are held at once. Twelve objects that are half zeros, eight at a time over
    /// S3, must neither wait on each other for ever nor come back different.
    /// </summary>
    [Fact]
    public async Task Backup_EightObjectsAtOnceWithLongZeroRuns_FullSizeBuffersTakenInTurn_RestoredExactly()
    {
        using var bed = new BucketTestBed(server);
        var root = bed.Temp.Sub("zeros-bucket");
        var random = new Random(17);
        for (var i = 0; i < 12; i++)
        {
            var data = new byte[(10 << 20) + i * 4099];
            random.NextBytes(data.AsSpan(0, data.Length / 2)); // random, then 5 MiB of zeros: long chunks at the end
            Directory.CreateDirectory(Path.Combine(root, "objects"));
            await File.WriteAllBytesAsync(Path.Combine(root, "objects", $"{i:D2}.bin"), data);
        }

        var bucket = await bed.UploadAsync(root);
        await bed.Cli.InitAsync();
        await bed.Cli.RunOkAsync("bucket", "backup", "--source", bed.Url(bucket), "--layout", "generic", "--name", "zeros", "--concurrency", "8");

        var restored = bed.Temp.Sub("restored");
        await bed.Cli.RunOkAsync("restore", "latest", "--target", restored);
        BucketTestBed.AssertSameObjects(root, BucketTestBed.Files(root), Path.Combine(restored, "zeros"));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
