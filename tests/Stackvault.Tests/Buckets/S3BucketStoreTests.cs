using Amazon.S3.Model;
using Stackvault.Buckets;
using Stackvault.Storage.S3;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Buckets;

/// <summary>The S3 bucket store directly: multipart uploads through injected faults, and content comparison by ETag.</summary>
[Collection(S3rverCollection.Name)]
public sealed class S3BucketStoreTests(S3rverFixture server)
{
    private const long MiB = 1024 * 1024;

    [Fact]
    public async Task PutAsync_AboveThresholdWithFailingPart_MultipartRetriedSameBytesAndEtagsCompare()
    {
        var bucket = await server.NewBucketAsync();
        var data = new byte[(12 * MiB) + 123];
        new Random(5).NextBytes(data);
        await using var proxy = new FaultingS3Proxy(server.Endpoint, (request, number) => request.HttpMethod == "PUT" && number == 3 ? new Fault(500, "InternalError") : null);
        await using var store = new S3BucketStore(new S3StorageOptions(new Stackvault.Storage.S3.S3Location(proxy.Endpoint, bucket, "p"))
        {
            Credentials = S3rverFixture.Credentials,
            MultipartThreshold = 5 * MiB,
            PartSize = 5 * MiB,
            Time = InstantTimeProvider.Instance,
        });

        var etag = await store.PutAsync("t/block/chunks/000001", _ => ValueTask.FromResult<Stream>(new MemoryStream(data)), data.Length, sourceEtag: null, CancellationToken.None);

        Assert.Equal(3, proxy.Log.Count(l => l.StartsWith("PUT ", StringComparison.Ordinal) && l.Contains("partNumber=", StringComparison.Ordinal)) - 1); // one part sent twice
        Assert.Contains(proxy.Log, l => l.StartsWith("POST ", StringComparison.Ordinal) && l.Contains("uploadId=", StringComparison.Ordinal)); // completed
        Assert.Equal(1, store.RetryCount);
        using var client = server.CreateClient();
        using var response = await client.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "p/t/block/chunks/000001" });
        using var copy = new MemoryStream();
        await response.ResponseStream.CopyToAsync(copy);
        Assert.True(copy.ToArray().AsSpan().SequenceEqual(data));
        var listed = Assert.Single(await store.ListAsync(CancellationToken.None).ToListAsync());
        Assert.Equal("t/block/chunks/000001", listed.Key);
        Assert.Equal(etag, listed.Etag); // s3rver gives multipart objects a plain MD5 ETag, AWS and MinIO the "-N" form
        Assert.True(await store.SameContentAsync(listed, _ => ValueTask.FromResult<Stream>(new MemoryStream(data)), CancellationToken.None));
        data[^1] ^= 1;
        Assert.False(await store.SameContentAsync(listed, _ => ValueTask.FromResult<Stream>(new MemoryStream(data)), CancellationToken.None));
    }

    [Fact]
    public async Task PutAsync_ManyLargeAtOnce_UploadBuffersBoundedByBytes_NotByCallers()
    {
        var bucket = await server.NewBucketAsync();
        await using var store = new S3BucketStore(server.Options(bucket) with { PartSize = 5 * MiB });
        var open = 0;
        var mostOpen = 0;
        var objects = Enumerable.Range(0, 5).Select(i =>
        {
            var data = new byte[(6 * MiB) + i]; // two parts each, one 5 MiB part buffer (8 MiB from the pool) per upload
            new Random(i).NextBytes(data);
            return data;
        }).ToList();

        // every upload is started at once, as a restore at --concurrency 5 does; the content is opened only once its buffer fits
        var etags = await Task.WhenAll(objects.Select((data, i) => store.PutAsync($"o{i}", _ =>
        {
            var now = Interlocked.Increment(ref open);
            InterlockedMax(ref mostOpen, now);
            return ValueTask.FromResult<Stream>(new CountedStream(data, () => Interlocked.Decrement(ref open)));
        }, data.Length, sourceEtag: null, CancellationToken.None).AsTask()));

        Assert.InRange(mostOpen, 1, (int)(store.Writes.Capacity / (8 * MiB))); // 2, not 5
        var all = store.Writes.TakeAsync(store.Writes.Capacity, CancellationToken.None).AsTask();
        Assert.True(all.IsCompleted); // every upload gave its bytes back
        (await all).Dispose();
        var listed = (await store.ListAsync(CancellationToken.None).ToListAsync()).ToDictionary(o => o.Key);
        for (var i = 0; i < objects.Count; i++)
        {
            Assert.Equal(objects[i].Length, listed[$"o{i}"].Size);
            Assert.Equal(etags[i], listed[$"o{i}"].Etag);
            Assert.True(await store.SameContentAsync(listed[$"o{i}"], _ => ValueTask.FromResult<Stream>(new MemoryStream(objects[i])), CancellationToken.None));
        }
    }

    [Fact]
    public async Task PutAsync_SinglePut_GivesItsBufferBackOnceTheBodyIsSent_NextObjectIsReadWhileTheServerAnswers()
    {
        var bucket = await server.NewBucketAsync();
        var thirdOpened = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var answeredBeforeThird = 0;
        await using var proxy = new FaultingS3Proxy(server.Endpoint, (_, _) => null)
        {
            // every PUT's answer is held until the third object's content is opened; the wait is bounded so that a
            // store which gives buffers back only on the answer fails below instead of hanging
            BeforeAnswer = async request =>
            {
                if (request.HttpMethod == "PUT" && await Task.WhenAny(thirdOpened.Task, Task.Delay(TimeSpan.FromSeconds(20))) != thirdOpened.Task)
                {
                    Interlocked.Increment(ref answeredBeforeThird);
                }
            },
        };
        await using var store = new S3BucketStore(new S3StorageOptions(new Stackvault.Storage.S3.S3Location(proxy.Endpoint, bucket, "p"))
        {
            Credentials = S3rverFixture.Credentials,
            PartSize = 5 * MiB,
            Time = InstantTimeProvider.Instance,
        });
        var objects = Enumerable.Range(0, 3).Select(i =>
        {
            var data = new byte[5 * MiB]; // one PUT each, one 8 MiB pool buffer: two fit in the budget, the third waits for one
            new Random(i).NextBytes(data);
            return data;
        }).ToList();
        var opened = 0;

        var etags = await Task.WhenAll(objects.Select((data, i) => store.PutAsync($"o{i}", _ =>
        {
            if (Interlocked.Increment(ref opened) == 3)
            {
                thirdOpened.TrySetResult();
            }

            return ValueTask.FromResult<Stream>(new MemoryStream(data));
        }, data.Length, sourceEtag: null, CancellationToken.None).AsTask()));

        Assert.Equal(0, answeredBeforeThird); // the third object was read while both PUTs before it waited for their answers
        Assert.Equal(3, opened);
        var all = store.Writes.TakeAsync(store.Writes.Capacity, CancellationToken.None).AsTask();
        Assert.True(all.IsCompleted); // every upload gave its bytes back, once
        (await all).Dispose();
        for (var i = 0; i < objects.Count; i++)
        {
            Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(objects[i])), etags[i]);
            Assert.Equal(objects[i], await ReadBackAsync(bucket, $"p/o{i}"));
        }
    }

    [Fact]
    public async Task PutAsync_FailsAfterItsBodyWasSent_ReadsTheContentAgainForTheRetry_AndRefusesOtherBytes()
    {
        var bucket = await server.NewBucketAsync();
        var data = new byte[(3 * MiB) + 5];
        new Random(7).NextBytes(data);
        var puts = 0;
        // the first PUT of each key is read in full (the client has sent its body, so its buffer is given back), then answered 500
        await using var proxy = new FaultingS3Proxy(server.Endpoint, (request, _) => request.HttpMethod == "PUT" && Interlocked.Increment(ref puts) is 1 or 3 ? new Fault(500, "InternalError") : null);
        await using var store = Through(proxy, bucket);
        var opens = 0;

        var etag = await store.PutAsync("same", _ =>
        {
            Interlocked.Increment(ref opens);
            return ValueTask.FromResult<Stream>(new MemoryStream(data));
        }, data.Length, sourceEtag: null, CancellationToken.None);

        Assert.Equal(2, opens); // read once, and again for the retried PUT
        Assert.Equal(1, store.RetryCount);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(data)), etag);
        Assert.Equal(data, await ReadBackAsync(bucket, "p/same"));

        // content that reads differently the second time is not sent under the first read's MD5
        var changing = 0;
        var failure = await Assert.ThrowsAsync<Stackvault.Errors.StackvaultException>(async () => await store.PutAsync("changing", _ =>
        {
            var copy = (byte[])data.Clone();
            copy[^1] ^= (byte)Interlocked.Increment(ref changing);
            return ValueTask.FromResult<Stream>(new MemoryStream(copy));
        }, data.Length, sourceEtag: null, CancellationToken.None));
        Assert.Contains("differs", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(await store.ListAsync(CancellationToken.None).ToListAsync(), o => o.Key == "changing");
    }

    [Fact]
    public async Task PutAsync_WithTheSourceEtag_SendsItAsTheContentMd5_InsteadOfHashing()
    {
        var bucket = await server.NewBucketAsync();
        var data = new byte[(2 * MiB) + 3];
        new Random(11).NextBytes(data);
        var md5 = System.Security.Cryptography.MD5.HashData(data);
        await using var proxy = new FaultingS3Proxy(server.Endpoint, (_, _) => null) { ChecksContentMd5 = true };
        await using var store = Through(proxy, bucket);
        var opens = 0;

        var etag = await store.PutAsync("o", _ =>
        {
            Interlocked.Increment(ref opens);
            return ValueTask.FromResult<Stream>(new MemoryStream(data));
        }, data.Length, Convert.ToHexString(md5) /* upper case, as some servers write it */, CancellationToken.None);

        Assert.Equal(1, opens);
        Assert.Equal(Convert.ToBase64String(md5), Assert.Single(proxy.ContentMd5s)); // the source's MD5, checked by the server
        Assert.Equal(0, proxy.BadDigests);
        Assert.Equal(Convert.ToHexStringLower(md5), etag);
        Assert.Equal(data, await ReadBackAsync(bucket, "p/o"));
        Assert.False(store.SourceEtagsRefused);

        // without a server that checks, what is sent is the recorded ETag as it is, not a digest of the content: the
        // content is not hashed here (a server that checks would refuse these bytes: the next test)
        await using var logging = new FaultingS3Proxy(server.Endpoint, (_, _) => null);
        await using var direct = Through(logging, bucket);
        var other = (byte[])data.Clone();
        other[0] ^= 1;
        await direct.PutAsync("other", _ => ValueTask.FromResult<Stream>(new MemoryStream(other)), other.Length, Convert.ToHexStringLower(md5), CancellationToken.None);
        Assert.Equal(Convert.ToBase64String(md5), Assert.Single(logging.ContentMd5s));
    }

    [Fact]
    public async Task PutAsync_RefusedUnderTheSourceEtag_HashesTheContent_AndStopsTrustingRecordedEtags()
    {
        var bucket = await server.NewBucketAsync();
        var data = new byte[MiB + 9];
        new Random(12).NextBytes(data);
        var md5 = System.Security.Cryptography.MD5.HashData(data);
        await using var proxy = new FaultingS3Proxy(server.Endpoint, (_, _) => null) { ChecksContentMd5 = true };
        await using var store = Through(proxy, bucket);
        var opens = 0;
        ValueTask<Stream> Open(CancellationToken _)
        {
            Interlocked.Increment(ref opens);
            return ValueTask.FromResult<Stream>(new MemoryStream(data));
        }

        // an ETag that is not the content's MD5 (as S3 gives objects encrypted with KMS keys): refused, then sent under the content's own MD5
        var etag = await store.PutAsync("kms", Open, data.Length, "0123456789abcdef0123456789abcdef", CancellationToken.None);

        Assert.Equal(2, opens);
        Assert.Equal(1, proxy.BadDigests);
        Assert.Equal(Convert.ToHexStringLower(md5), etag);
        Assert.Equal(data, await ReadBackAsync(bucket, "p/kms"));
        Assert.True(store.SourceEtagsRefused);

        // from then on recorded ETags are not taken for MD5s: one read, no refusal
        opens = 0;
        await store.PutAsync("kms2", Open, data.Length, "fedcba9876543210fedcba9876543210", CancellationToken.None);
        Assert.Equal(1, opens);
        Assert.Equal(1, proxy.BadDigests);
        Assert.Equal(data, await ReadBackAsync(bucket, "p/kms2"));
    }

    [Fact]
    public async Task PutAsync_BytesDamagedOnTheWay_AreRefusedAndSentAgain_UnderTheSourceEtagOrTheirOwnMd5()
    {
        var bucket = await server.NewBucketAsync();
        var data = new byte[MiB + 17];
        new Random(13).NextBytes(data);
        var md5 = System.Security.Cryptography.MD5.HashData(data);
        var puts = 0;
        await using var proxy = new FaultingS3Proxy(server.Endpoint, (_, _) => null)
        {
            ChecksContentMd5 = true,
            Damage = (request, _, body) =>
            {
                if (request.HttpMethod == "PUT" && Interlocked.Increment(ref puts) == 1)
                {
                    body[body.Length / 2] ^= 0x40; // one bit flipped in the first PUT's body
                }

                return body;
            },
        };
        await using var store = Through(proxy, bucket);

        var etag = await store.PutAsync("o", _ => ValueTask.FromResult<Stream>(new MemoryStream(data)), data.Length, Convert.ToHexStringLower(md5), CancellationToken.None);

        Assert.Equal(1, proxy.BadDigests);
        Assert.Equal(Convert.ToHexStringLower(md5), etag);
        Assert.Equal(data, await ReadBackAsync(bucket, "p/o"));
        Assert.False(store.SourceEtagsRefused); // the content's MD5 is the source's: the ETag was right, the bytes were damaged
        Assert.All(proxy.ContentMd5s, m => Assert.Equal(Convert.ToBase64String(md5), m));

        // without a source ETag the same damage is refused under the content's own MD5, and the content sent again
        puts = 0;
        var opens = 0;
        await store.PutAsync("hashed", _ =>
        {
            Interlocked.Increment(ref opens);
            return ValueTask.FromResult<Stream>(new MemoryStream(data));
        }, data.Length, sourceEtag: null, CancellationToken.None);
        Assert.Equal(2, proxy.BadDigests);
        Assert.Equal(2, opens);
        Assert.Equal(data, await ReadBackAsync(bucket, "p/hashed"));
    }

    [Fact]
    public async Task PutAsync_AbovePartSizeWithTheSourceEtag_OneStreamedPut_UnderTheSourceMd5_KeepsTheSourceEtag()
    {
        var bucket = await server.NewBucketAsync();
        var data = new byte[(12 * MiB) + 5]; // three parts' worth at a 5 MiB part size
        new Random(14).NextBytes(data);
        var md5 = System.Security.Cryptography.MD5.HashData(data);
        await using var proxy = new FaultingS3Proxy(server.Endpoint, (_, _) => null) { ChecksContentMd5 = true };
        await using var store = new S3BucketStore(new S3StorageOptions(new Stackvault.Storage.S3.S3Location(proxy.Endpoint, bucket, "p"))
        {
            Credentials = S3rverFixture.Credentials,
            PartSize = 5 * MiB,
            Time = InstantTimeProvider.Instance,
        });
        var opens = 0;
        var largestRead = 0;

        var etag = await store.PutAsync("t/block/chunks/000001", _ =>
        {
            Interlocked.Increment(ref opens);
            return ValueTask.FromResult<Stream>(new ReadSizeStream(data, n => InterlockedMax(ref largestRead, n)));
        }, data.Length, Convert.ToHexStringLower(md5), CancellationToken.None);

        // one PUT, no multipart upload: the object gets the source's ETag back, as rclone and the engines' own uploads give it
        Assert.Single(proxy.Log, l => l.StartsWith("PUT ", StringComparison.Ordinal));
        Assert.DoesNotContain(proxy.Log, l => l.Contains("uploadId=", StringComparison.Ordinal) || l.Contains("uploads", StringComparison.Ordinal));
        Assert.Equal(Convert.ToBase64String(md5), Assert.Single(proxy.ContentMd5s));
        Assert.Equal(0, proxy.BadDigests);
        Assert.Equal(Convert.ToHexStringLower(md5), etag);
        Assert.Equal(data, await ReadBackAsync(bucket, "p/t/block/chunks/000001"));

        // streamed, never held: read in pieces far smaller than the object (SigV4 over http reads it twice: to sign, to send)
        Assert.InRange(opens, 1, 2);
        Assert.InRange(largestRead, 1, (int)MiB);
        var all = store.Writes.TakeAsync(store.Writes.Capacity, CancellationToken.None).AsTask();
        Assert.True(all.IsCompleted); // its share of the upload budget given back
        (await all).Dispose();
    }

    [Fact]
    public async Task PutAsync_StreamedPutRefusedUnderTheSourceEtag_GoesUpInParts_AndLaterObjectsToo()
    {
        var bucket = await server.NewBucketAsync();
        var data = new byte[(11 * MiB) + 1];
        new Random(15).NextBytes(data);
        await using var proxy = new FaultingS3Proxy(server.Endpoint, (_, _) => null) { ChecksContentMd5 = true };
        await using var store = new S3BucketStore(new S3StorageOptions(new Stackvault.Storage.S3.S3Location(proxy.Endpoint, bucket, "p"))
        {
            Credentials = S3rverFixture.Credentials,
            PartSize = 5 * MiB,
            Time = InstantTimeProvider.Instance,
        });
        ValueTask<Stream> Open(CancellationToken _) => ValueTask.FromResult<Stream>(new MemoryStream(data, writable: false));

        // an ETag that is not the content's MD5 (KMS): the server refuses the streamed PUT, the object goes up in parts
        await store.PutAsync("kms", Open, data.Length, "0123456789abcdef0123456789abcdef", CancellationToken.None);

        Assert.Equal(1, proxy.BadDigests);
        Assert.Equal(3, proxy.Log.Count(l => l.StartsWith("PUT ", StringComparison.Ordinal) && l.Contains("partNumber=", StringComparison.Ordinal)));
        Assert.Equal(data, await ReadBackAsync(bucket, "p/kms"));

        // the next large object is not streamed under a recorded ETag again: parts at once, no refusal
        await store.PutAsync("kms2", Open, data.Length, "fedcba9876543210fedcba9876543210", CancellationToken.None);
        Assert.Equal(1, proxy.BadDigests);
        Assert.Equal(6, proxy.Log.Count(l => l.StartsWith("PUT ", StringComparison.Ordinal) && l.Contains("partNumber=", StringComparison.Ordinal)));
        Assert.Equal(data, await ReadBackAsync(bucket, "p/kms2"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0123456789abcdef0123456789abcdef-3")] // multipart
    [InlineData("0123456789abcdef0123456789abcdeg")] // not hex
    [InlineData("0123456789abcdef0123456789abcde")] // 31 digits
    public void SourceMd5_OnlyASinglePartEtag_NamesAnMd5(string? etag) => Assert.Null(S3BucketStore.SourceMd5(etag));

    /// <summary>A store on prefix "p" of <paramref name="bucket"/>, reached through <paramref name="proxy"/>.</summary>
    private static S3BucketStore Through(FaultingS3Proxy proxy, string bucket) =>
        new(new S3StorageOptions(new Stackvault.Storage.S3.S3Location(proxy.Endpoint, bucket, "p"))
        {
            Credentials = S3rverFixture.Credentials,
            Time = InstantTimeProvider.Instance,
        });

    private async Task<byte[]> ReadBackAsync(string bucket, string key)
    {
        using var client = server.CreateClient();
        using var response = await client.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key });
        using var copy = new MemoryStream();
        await response.ResponseStream.CopyToAsync(copy);
        return copy.ToArray();
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    /// <summary>The data, telling each read's size.</summary>
    private sealed class ReadSizeStream(byte[] data, Action<int> read) : MemoryStream(data, writable: false)
    {
        public override int Read(Span<byte> buffer)
        {
            read(buffer.Length);
            return base.Read(buffer);
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            read(count);
            return base.Read(buffer, offset, count);
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            read(buffer.Length);
            return base.ReadAsync(buffer, cancellationToken);
        }
    }

    private sealed class CountedStream(byte[] data, Action closed) : MemoryStream(data, writable: false)
    {
        private int _closed;

        protected override void Dispose(bool disposing)
        {
            if (Interlocked.Exchange(ref _closed, 1) == 0)
            {
                closed();
            }

            base.Dispose(disposing);
        }
    }

    [Fact]
    public async Task EtagOf_Multipart_IsMd5OfPartMd5sWithPartCount()
    {
        var data = new byte[(11 * MiB) + 7];
        new Random(9).NextBytes(data);
        await using var store = new S3BucketStore(server.Options("sv-unused-bucket") with { PartSize = 5 * MiB });
        var parts = new[] { data[..(int)(5 * MiB)], data[(int)(5 * MiB)..(int)(10 * MiB)], data[(int)(10 * MiB)..] };
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(parts.SelectMany(System.Security.Cryptography.MD5.HashData).ToArray())) + "-3";

        var multipart = await store.EtagOfAsync(new MemoryStream(data), multipart: true, CancellationToken.None);
        var single = await store.EtagOfAsync(new MemoryStream(data), multipart: false, CancellationToken.None);

        Assert.Equal(expected, multipart);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(data)), single);
    }
}
