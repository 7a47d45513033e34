using Stackvault.Tests.Support;

namespace Stackvault.Tests.Buckets;

/// <summary><c>bucket restore</c> into s3rver buckets, read back with rclone; upload order recorded by a proxy.</summary>
[Collection(S3rverCollection.Name)]
public sealed class BucketRestoreTests(S3rverFixture server)
{
    [Fact]
    public async Task Restore_IntoEmptyBucket_EveryBlockFileBeforeItsMetaJson_AndRcloneReadsSameBytes()
    {
        using var bed = new BucketTestBed(server);
        var (bucket, layout) = await bed.MimirBucketAsync();
        await bed.Cli.InitAsync();
        await bed.Cli.ExpectAsync(3, "bucket", "backup", "--source", bed.Url(bucket), "--layout", "mimir");
        var target = await server.NewBucketAsync();
        var puts = 0;
        // the target checks each PUT's Content-MD5 as S3 does, and the first PUT's body arrives with one bit flipped
        await using var proxy = new FaultingS3Proxy(server.Endpoint, failures: 0, 500, "InternalError")
        {
            ChecksContentMd5 = true,
            Damage = (request, _, body) =>
            {
                if (request.HttpMethod == "PUT" && body.Length > 0 && Interlocked.Increment(ref puts) == 1)
                {
                    body[0] ^= 1;
                }

                return body;
            },
        };

        var result = await bed.Cli.RunOkAsync("bucket", "restore", "latest", "--target", bed.Url(target, proxy.Endpoint) + "/restored", "--json");

        // every object went up under its source's MD5 (the snapshot's record of the ETag), which the server checked:
        // the damaged body was refused and sent again, and nothing was hashed to find the MD5 to send
        Assert.Equal(1, proxy.BadDigests);
        var sourceMd5s = layout.RestoredByDefault.Select(k => Convert.ToBase64String(System.Security.Cryptography.MD5.HashData(File.ReadAllBytes(Path.Combine(layout.Root, k))))).ToHashSet();
        Assert.All(proxy.ContentMd5s, m => Assert.Contains(m, sourceMd5s));

        Assert.Equal(layout.RestoredByDefault.Count, result.Message("summary").GetProperty("objects_uploaded").GetInt32());
        Assert.Equal(1, result.Message("summary").GetProperty("blocks_corrupt_left_out").GetInt32());
        var status = result.Message("status"); // the progress display's last line: every uploaded object and byte counted
        Assert.Equal("bucket restore", status.GetProperty("action").GetString());
        Assert.Equal(1.0, status.GetProperty("percent_done").GetDouble());
        Assert.Equal(layout.RestoredByDefault.Count, status.GetProperty("files_done").GetInt64());
        Assert.Equal(result.Message("summary").GetProperty("bytes_uploaded").GetInt64(), status.GetProperty("bytes_done").GetInt64());
        var keys = proxy.Log.Where(l => l.StartsWith("PUT ", StringComparison.Ordinal)).Select(l => l[$"PUT /{target}/restored/".Length..]).Distinct().ToList();
        Assert.Equal(layout.RestoredByDefault, keys.Order(StringComparer.Ordinal));
        foreach (var block in layout.Complete)
        {
            var meta = keys.IndexOf(block + "/meta.json");
            var others = keys.Select((key, i) => (key, i)).Where(p => p.key.StartsWith(block + "/", StringComparison.Ordinal) && p.i != meta).ToList();
            Assert.Equal(3, others.Count);
            Assert.All(others, p => Assert.True(p.i < meta, $"{p.key} uploaded after {block}/meta.json"));
        }

        var copy = bed.Temp.Sub("copy");
        await Rclone.DownloadAsync(server, target + "/restored", copy);
        BucketTestBed.AssertSameObjects(layout.Root, layout.RestoredByDefault, copy);
    }

    [Fact]
    public async Task Restore_ChunkSegmentAboveThePartSize_GoesUpAsOnePut_UnderItsSourceMd5_NotInParts()
    {
        using var bed = new BucketTestBed(server);
        var root = bed.Temp.Sub("large");
        var block = "t1/" + TsdbBlocks.NewUlid(1);
        TsdbBlocks.CopyAs(TsdbBlocks.All[0], Path.Combine(root, block), block[3..], thanosFiles: false);

        // a real segment grown past the 16 MiB part size, as a compactor's segments are (up to 512 MiB): its chunks
        // written again after the header (8 bytes), with the default meta.json file list (none: the index must be there)
        var segment = Path.Combine(root, block, "chunks", "000001");
        var original = File.ReadAllBytes(segment);
        using (var grown = File.OpenWrite(segment))
        {
            grown.Write(original);
            while (grown.Length < (17 << 20))
            {
                grown.Write(original.AsSpan(8));
            }
        }

        var bucket = await bed.UploadAsync(root);
        await bed.Cli.InitAsync();
        await bed.Cli.RunOkAsync("bucket", "backup", "--source", bed.Url(bucket), "--layout", "mimir");
        var target = await server.NewBucketAsync();
        await using var proxy = new FaultingS3Proxy(server.Endpoint, failures: 0, 500, "InternalError") { ChecksContentMd5 = true };

        await bed.Cli.RunOkAsync("bucket", "restore", "latest", "--target", bed.Url(target, proxy.Endpoint));

        var segmentKey = block + "/chunks/000001";
        Assert.DoesNotContain(proxy.Log, l => l.Contains("uploadId=", StringComparison.Ordinal) || l.Contains("?uploads", StringComparison.Ordinal));
        Assert.Single(proxy.Log, l => l.StartsWith($"PUT /{target}/{segmentKey}", StringComparison.Ordinal));
        Assert.Contains(Convert.ToBase64String(System.Security.Cryptography.MD5.HashData(File.ReadAllBytes(segment))), proxy.ContentMd5s);
        Assert.Equal(0, proxy.BadDigests);
        var copy = bed.Temp.Sub("copy");
        await Rclone.DownloadAsync(server, target, copy);
        BucketTestBed.AssertSameObjects(root, BucketTestBed.Files(root), copy);
    }

    [Fact]
    public async Task Restore_TenantAndTimeFilter_OnlyThoseBlocks()
    {
        using var bed = new BucketTestBed(server);
        var (bucket, layout) = await bed.MimirBucketAsync();
        await bed.Cli.InitAsync();
        await bed.Cli.ExpectAsync(3, "bucket", "backup", "--source", bed.Url(bucket), "--layout", "mimir");
        var target = await server.NewBucketAsync();

        // blocks A and C hold [2024-05-07T00:00, 02:00); B holds [02:00, 04:00): a max time of 01:00 keeps A and C
        var dry = await bed.Cli.RunOkAsync("bucket", "restore", "latest", "--target", bed.Url(target), "--tenant", "t1", "--max-time", "2024-05-07T01:00:00Z", "--dry-run", "--json");
        Assert.Equal(2, dry.Message("summary").GetProperty("blocks").GetInt32());
        Assert.Empty(await Rclone.ListAsync(server, target));
        await bed.Cli.RunOkAsync("bucket", "restore", "latest", "--target", bed.Url(target), "--tenant", "t1", "--max-time", "2024-05-07T01:00:00Z");

        var keys = await Rclone.ListAsync(server, target);
        var expected = layout.DefaultSelection.Where(k => k.StartsWith(layout.Complete[0] + "/", StringComparison.Ordinal) || k.StartsWith(layout.Complete[2] + "/", StringComparison.Ordinal));
        Assert.Equal(expected, keys);
    }

    [Fact]
    public async Task Restore_ExistingObjectWithOtherContent_RefusedWithNothingWritten_UnlessOverwrite()
    {
        using var bed = new BucketTestBed(server);
        var (bucket, layout) = await bed.MimirBucketAsync();
        await bed.Cli.InitAsync();
        await bed.Cli.RunOkAsync("bucket", "backup", "--source", bed.Url(bucket), "--layout", "mimir", "--tenant", "t2");
        var target = await server.NewBucketAsync();
        var clash = Path.Combine(bed.Temp.Path, "clash");
        File.WriteAllText(clash, "not an index");
        var key = layout.Complete[3] + "/index";
        await Rclone.RunAsync(server, "copyto", clash, $"sv:{target}/{key}");

        var refused = await bed.Cli.ExpectAsync(1, "bucket", "restore", "latest", "--target", bed.Url(target));

        Assert.Contains(key, refused.Stderr, StringComparison.Ordinal);
        Assert.Equal([key], await Rclone.ListAsync(server, target));
        var replaced = await bed.Cli.RunOkAsync("bucket", "restore", "latest", "--target", bed.Url(target), "--overwrite", "--json");
        Assert.Equal(1, replaced.Message("summary").GetProperty("objects_replaced").GetInt32());
        var copy = bed.Temp.Sub("copy");
        await Rclone.DownloadAsync(server, target, copy);
        BucketTestBed.AssertSameObjects(layout.Root, layout.DefaultSelection.Where(k => k.StartsWith("t2/", StringComparison.Ordinal)), copy);
    }

    [Fact]
    public async Task Restore_InterruptedByFailingWrites_FailsCleanly_ThenResumesSkippingWhatIsThere()
    {
        using var bed = new BucketTestBed(server);
        var (bucket, layout) = await bed.MimirBucketAsync();
        await bed.Cli.InitAsync();
        await bed.Cli.ExpectAsync(3, "bucket", "backup", "--source", bed.Url(bucket), "--layout", "mimir");
        var target = await server.NewBucketAsync();
        var puts = 0;
        await using (var proxy = new FaultingS3Proxy(server.Endpoint, (request, _) => request.HttpMethod == "PUT" && Interlocked.Increment(ref puts) > 7, 403, "AccessDenied"))
        {
            var failed = await bed.Cli.ExpectAsync(1, "bucket", "restore", "latest", "--target", bed.Url(target, proxy.Endpoint), "--concurrency", "1");
            Assert.Contains("access denied", failed.Stderr, StringComparison.Ordinal);
        }

        var partial = await Rclone.ListAsync(server, target);
        Assert.Equal(7, partial.Count);

        var resumed = await bed.Cli.RunOkAsync("bucket", "restore", "latest", "--target", bed.Url(target), "--json");

        var summary = resumed.Message("summary");
        Assert.Equal(7, summary.GetProperty("objects_skipped").GetInt32());
        Assert.Equal(layout.RestoredByDefault.Count - 7, summary.GetProperty("objects_uploaded").GetInt32());
        var copy = bed.Temp.Sub("copy");
        await Rclone.DownloadAsync(server, target, copy);
        BucketTestBed.AssertSameObjects(layout.Root, layout.RestoredByDefault, copy);
    }
}
