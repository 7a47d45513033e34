using System.Collections.Concurrent;
using Amazon.S3;
using Amazon.S3.Model;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Buckets;

/// <summary>
/// Objects that carry a checksum stored with them, as AWS gives every object uploaded since 2025 (CRC64NVME) and as
/// MinIO and Ceph keep what a client sent. s3rver stores none, so <see cref="CuttingS3ProxyStandIn"/> stands in for that
/// part of S3: it sends the object's checksum, with <c>x-amz-checksum-type: FULL_OBJECT</c>, on a whole-object GET that
/// asks with <c>x-amz-checksum-mode: ENABLED</c>, as S3 documents. The AWS SDK's own check of a GET accepts the value
/// served (and refuses another), so its encoding is S3's; and the object gets a multipart-form ETag, which names no MD5
/// of the content: before these checks such an object was checked by its size only, and bytes damaged on the way were
/// stored without a word.
/// </summary>
[Collection(S3rverCollection.Name)]
public sealed class BucketChecksumTests(S3rverFixture server)
{
    public static TheoryData<string, bool> Cases => new()
    {
        { "CRC64NVME", false }, { "CRC64NVME", true },
        { "CRC32C", false }, { "CRC32C", true },
        { "CRC32", true },
        { "SHA256", true },
        { "SHA1", true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Backup_ObjectWithStoredChecksumAndMultipartEtag_CheckedByTheChecksum(string algorithm, bool damaged)
    {
        using var bed = new BucketTestBed(server);
        var (bucket, layout) = await bed.MimirBucketAsync();
        await bed.Cli.InitAsync();
        var victim = layout.Complete[0] + "/chunks/000001";
        var content = await File.ReadAllBytesAsync(Path.Combine(layout.Root, victim));
        var header = "x-amz-checksum-" + algorithm.ToLowerInvariant();
        var checksum = Checksum(algorithm, content);
        var wrong = Checksum(algorithm, [.. content, 0]);
        var served = checksum;
        var armed = false;
        var asked = new ConcurrentQueue<string?>();
        await using var proxy = new CuttingS3ProxyStandIn(
            server.Endpoint,
            request => damaged && armed && request.RawUrl!.EndsWith(victim, StringComparison.Ordinal),
            CuttingS3ProxyStandIn.CutMode.Corrupt,
            hold: request =>
            {
                if (request.RawUrl!.EndsWith(victim, StringComparison.Ordinal))
                {
                    asked.Enqueue(request.Headers["x-amz-checksum-mode"]);
                }

                return Task.CompletedTask;
            })
        {
            ResponseEtag = (request, etag) => request.RawUrl!.EndsWith(victim, StringComparison.Ordinal) ? etag.TrimEnd('"') + "-3\"" : etag,
            ResponseHeaders = request => request.HttpMethod == "GET" && request.Headers["x-amz-checksum-mode"] == "ENABLED" && request.Headers["Range"] is null
                && request.RawUrl!.EndsWith(victim, StringComparison.Ordinal)
                ? [new(header, served), new("x-amz-checksum-type", "FULL_OBJECT")]
                : [],
        };

        // The AWS SDK's own check of a GET's checksum accepts the value served and refuses another: the value is what
        // S3 would send for this content, byte order included.
        using (var client = ThroughProxy(proxy))
        {
            Assert.Equal(content, await ReadAsync(client, bucket, victim));
            served = wrong;
            await Assert.ThrowsAnyAsync<Amazon.Runtime.AmazonClientException>(() => ReadAsync(client, bucket, victim));
            served = checksum;
        }

        asked.Clear();
        armed = true;
        // exit 3 either way: the layout has a corrupt block of its own
        var result = await bed.Cli.ExpectAsync(3, "bucket", "backup", "--source", bed.Url(bucket, proxy.Endpoint), "--layout", "mimir");

        if (damaged)
        {
            Assert.Equal(1, proxy.Cuts);
            Assert.Contains($"'{victim}': the {content.Length} bytes read do not match the object's {algorithm} checksum (", result.Stderr, StringComparison.Ordinal);
            Assert.Contains($", stored {checksum}): damaged in transfer", result.Stderr, StringComparison.Ordinal);
        }
        else
        {
            Assert.DoesNotContain(victim, result.Stderr, StringComparison.Ordinal);
        }

        Assert.Equal("ENABLED", Assert.Single(asked)); // one GET of the object, asking for its checksums
        var restored = bed.Temp.Sub("restored");
        await bed.Cli.RunOkAsync("restore", "latest", "--target", restored);
        if (damaged)
        {
            Assert.False(File.Exists(Path.Combine(restored, "bucket", victim)), "the damaged object was stored");
            Assert.True(File.Exists(Path.Combine(restored, "bucket", layout.Complete[0], "index")), "the rest of the block is stored");
        }
        else
        {
            Assert.Equal(content, await File.ReadAllBytesAsync(Path.Combine(restored, "bucket", victim)));
        }
    }

    /// <summary>
    /// A composite checksum (the parts' checksums combined, "...-N") names no checksum of the whole content: it is
    /// passed over, and the single-part ETag's MD5 checks the object, so damage is still found, by the ETag.
    /// </summary>
    [Fact]
    public async Task Backup_CompositeChecksum_PassedOver_EtagChecksTheObject()
    {
        using var bed = new BucketTestBed(server);
        var (bucket, layout) = await bed.MimirBucketAsync();
        await bed.Cli.InitAsync();
        var victim = layout.Complete[0] + "/index";
        await using var proxy = new CuttingS3ProxyStandIn(server.Endpoint, request => request.RawUrl!.EndsWith(victim, StringComparison.Ordinal), CuttingS3ProxyStandIn.CutMode.Corrupt)
        {
            ResponseHeaders = request => request.Headers["x-amz-checksum-mode"] == "ENABLED"
                ? [new("x-amz-checksum-crc32c", "AAAAAA==-3"), new("x-amz-checksum-type", "COMPOSITE")]
                : [],
        };

        var result = await bed.Cli.ExpectAsync(3, "bucket", "backup", "--source", bed.Url(bucket, proxy.Endpoint), "--layout", "mimir");

        Assert.Contains($"'{victim}': the ", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("do not match the object's ETag (MD5 ", result.Stderr, StringComparison.Ordinal);
    }

    /// <summary>
    /// An object uploaded in parts whose CRC32C comes without <c>x-amz-checksum-type</c> and without a "-N" (as older
    /// MinIO and Ceph send a composite checksum) is not taken for a checksum of the whole content: no false alarm, the
    /// object is stored as read. Only CRC64NVME is full-object by definition.
    /// </summary>
    [Fact]
    public async Task Backup_MultipartObjectWithUntypedCrc32c_NotTakenForTheWholeContent_NoFalseAlarm()
    {
        using var bed = new BucketTestBed(server);
        var (bucket, layout) = await bed.MimirBucketAsync();
        await bed.Cli.InitAsync();
        var victim = layout.Complete[0] + "/chunks/000001";
        var content = await File.ReadAllBytesAsync(Path.Combine(layout.Root, victim));
        var partsChecksum = Checksum("CRC32C", [.. Checksum("CRC32C", content[..(content.Length / 2)]).Select(c => (byte)c)]); // not the content's
        await using var proxy = new CuttingS3ProxyStandIn(server.Endpoint, _ => false)
        {
            ResponseEtag = (request, etag) => request.RawUrl!.EndsWith(victim, StringComparison.Ordinal) ? etag.TrimEnd('"') + "-2\"" : etag,
            ResponseHeaders = request => request.Headers["x-amz-checksum-mode"] == "ENABLED" && request.RawUrl!.EndsWith(victim, StringComparison.Ordinal)
                ? [new("x-amz-checksum-crc32c", partsChecksum)]
                : [],
        };

        var result = await bed.Cli.ExpectAsync(3, "bucket", "backup", "--source", bed.Url(bucket, proxy.Endpoint), "--layout", "mimir"); // 3: the layout's corrupt block

        Assert.DoesNotContain(victim, result.Stderr, StringComparison.Ordinal);
        var restored = bed.Temp.Sub("restored");
        await bed.Cli.RunOkAsync("restore", "latest", "--target", restored);
        Assert.Equal(content, await File.ReadAllBytesAsync(Path.Combine(restored, "bucket", victim)));
    }

    /// <summary>The checksum header S3 stores for <paramref name="content"/>: CRCs as big-endian bytes, digests as they are, in base64.</summary>
    private static string Checksum(string algorithm, byte[] content)
    {
        byte[] bytes;
        switch (algorithm)
        {
            case "CRC64NVME":
                bytes = new byte[8];
                System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes, System.IO.Hashing.Crc64.HashToUInt64(System.IO.Hashing.Crc64ParameterSet.Nvme, content));
                break;
            case "CRC32C":
            case "CRC32":
                bytes = new byte[4];
                var set = algorithm == "CRC32C" ? System.IO.Hashing.Crc32ParameterSet.Crc32C : System.IO.Hashing.Crc32ParameterSet.Crc32;
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes, System.IO.Hashing.Crc32.HashToUInt32(set, content));
                break;
            case "SHA256":
                bytes = System.Security.Cryptography.SHA256.HashData(content);
                break;
            default:
#pragma warning disable CA5350 // S3's SHA1 checksum, as S3 computes it
                bytes = System.Security.Cryptography.SHA1.HashData(content);
#pragma warning restore CA5350
                break;
        }

        return Convert.ToBase64String(bytes);
    }

    private static async Task<byte[]> ReadAsync(AmazonS3Client client, string bucket, string key)
    {
        using var response = await client.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key, ChecksumMode = ChecksumMode.ENABLED });
        using var bytes = new MemoryStream();
        await response.ResponseStream.CopyToAsync(bytes);
        return bytes.ToArray();
    }

    private static AmazonS3Client ThroughProxy(CuttingS3ProxyStandIn proxy) => new(S3rverFixture.AccessKey, S3rverFixture.SecretKey, new AmazonS3Config
    {
        ServiceURL = proxy.Endpoint.ToString(),
        ForcePathStyle = true,
        AuthenticationRegion = "us-east-1",
        RequestChecksumCalculation = Amazon.Runtime.RequestChecksumCalculation.WHEN_REQUIRED,
        ResponseChecksumValidation = Amazon.Runtime.ResponseChecksumValidation.WHEN_REQUIRED,
    });
}
