using System.Buffers.Binary;
using System.IO.Hashing;
using System.Security.Cryptography;
using Amazon.S3.Model;

namespace Stackvault.Storage.S3.Transport;

/// <summary>
/// What the content of a whole-object GET is checked against, the cheapest that the answer offers: a full-object
/// checksum stored with the object (answered when the GET asks with <c>x-amz-checksum-mode: ENABLED</c>; AWS gives
/// every object uploaded since 2025 a CRC64NVME, multipart uploads included, and MinIO and Ceph store what clients
/// send), else a single-part ETag, which is the content's MD5 (not under SSE-KMS or SSE-C). CRC64NVME, CRC32C and
/// CRC32 cost a few percent of an MD5 (about 15 GiB/s on a core here, MD5 0.8), so a bucket backup of such objects
/// spends nearly nothing on the check; and an object uploaded in parts, whose ETag names no MD5 of the content, is
/// checked too. A composite checksum ("...-N", the parts' checksums combined) names none of the whole content either
/// and is passed over. XXHASH checksums are passed over as well: their byte order in the header is not documented.
/// </summary>
internal sealed class S3ContentCheck : IDisposable
{
    private readonly NonCryptographicHashAlgorithm? _crc;
    private readonly IncrementalHash? _digest;
    private readonly byte[] _expected;

    private S3ContentCheck(string name, byte[] expected, NonCryptographicHashAlgorithm? crc, IncrementalHash? digest)
    {
        (Name, _expected, _crc, _digest) = (name, expected, crc, digest);
    }

    /// <summary>The checksum's name as S3 spells it (CRC64NVME, SHA256, ...), or "ETag" for a single-part ETag's MD5.</summary>
    public string Name { get; }

    /// <summary>
    /// The check for a GET's answer, or null when it offers none (a multipart ETag, or an ETag under SSE-KMS or SSE-C,
    /// and no full-object checksum). A header that is not the base64 of a digest of its algorithm's length is not one.
    /// </summary>
    public static S3ContentCheck? For(GetObjectResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        // CRC64NVME is a full-object checksum by definition. The others are composite for an object uploaded in parts
        // unless the answer says FULL_OBJECT; a server that sends no x-amz-checksum-type (older MinIO and Ceph) may
        // leave the "-N" off a composite value, so with a multipart ETag and no type they are passed over.
        if (response.ChecksumType != Amazon.S3.ChecksumType.COMPOSITE && Stored(response.ChecksumCRC64NVME, 8) is { } crc64)
        {
            return new("CRC64NVME", crc64, new Crc64(Crc64ParameterSet.Nvme), null);
        }

        var multipartEtag = S3Transport.Unquote(response.ETag)?.Contains('-', StringComparison.Ordinal) == true;
        var fullObject = response.ChecksumType == Amazon.S3.ChecksumType.FULL_OBJECT || (response.ChecksumType is null && !multipartEtag);
        if (fullObject)
        {
            if (Stored(response.ChecksumCRC32C, 4) is { } crc32c)
            {
                return new("CRC32C", crc32c, new Crc32(Crc32ParameterSet.Crc32C), null);
            }

            if (Stored(response.ChecksumCRC32, 4) is { } crc32)
            {
                return new("CRC32", crc32, new Crc32(), null);
            }

            if (Stored(response.ChecksumSHA1, 20) is { } sha1)
            {
                return new("SHA1", sha1, null, IncrementalHash.CreateHash(HashAlgorithmName.SHA1));
            }

            if (Stored(response.ChecksumSHA256, 32) is { } sha256)
            {
                return new("SHA256", sha256, null, IncrementalHash.CreateHash(HashAlgorithmName.SHA256));
            }

            if (Stored(response.ChecksumSHA512, 64) is { } sha512)
            {
                return new("SHA512", sha512, null, IncrementalHash.CreateHash(HashAlgorithmName.SHA512));
            }

            if (Stored(response.ChecksumMD5, 16) is { } md5)
            {
                return new("MD5", md5, null, Md5());
            }
        }

        var etag = S3Transport.Unquote(response.ETag)?.ToLowerInvariant();
        var sse = response.ServerSideEncryptionMethod?.Value;
        if (etag is { Length: 32 } && etag.All(char.IsAsciiHexDigitLower) && (string.IsNullOrEmpty(sse) || sse == "AES256")
            && string.IsNullOrEmpty(response.ServerSideEncryptionCustomerMethod?.Value))
        {
            return new("ETag", Convert.FromHexString(etag), null, Md5());
        }

        return null;
    }

    public void Append(ReadOnlySpan<byte> data)
    {
        if (_crc is not null)
        {
            _crc.Append(data);
        }
        else
        {
            _digest!.AppendData(data);
        }
    }

    /// <summary>Whether the check is an MD5 of the content (a single-part ETag, or a stored MD5 checksum).</summary>
    public bool IsMd5 => _crc is null && Name is "ETag" or "MD5";

    /// <summary>The value the content's digest must have, in the form S3 stores it.</summary>
    public ReadOnlySpan<byte> Expected => _expected;

    /// <summary>Null when the content appended matches, else a message naming both values.</summary>
    public string? Mismatch(long length)
    {
        var actual = Actual();
        return actual.AsSpan().SequenceEqual(_expected) ? null : Describe(actual, length);
    }

    /// <summary>The message for content of <paramref name="length"/> bytes whose digest is <paramref name="actual"/>, not the expected one.</summary>
    public string Describe(byte[] actual, long length) =>
        Name == "ETag"
            ? $"the {length} bytes read do not match the object's ETag (MD5 {Convert.ToHexStringLower(actual)}, ETag {Convert.ToHexStringLower(_expected)})"
            : $"the {length} bytes read do not match the object's {Name} checksum ({Convert.ToBase64String(actual)}, stored {Convert.ToBase64String(_expected)})";

    public void Dispose() => _digest?.Dispose();

    /// <summary>The digest of what was appended, in the form S3 stores it: CRCs big-endian, digests as they are.</summary>
    private byte[] Actual()
    {
        switch (_crc)
        {
            case Crc64 crc64:
                var eight = new byte[8];
                BinaryPrimitives.WriteUInt64BigEndian(eight, crc64.GetCurrentHashAsUInt64());
                return eight;
            case Crc32 crc32:
                var four = new byte[4];
                BinaryPrimitives.WriteUInt32BigEndian(four, crc32.GetCurrentHashAsUInt32());
                return four;
            default:
                return _digest!.GetHashAndReset();
        }
    }

    /// <summary>The digest a checksum header holds, or null (absent, composite "-N", not base64, or the wrong length).</summary>
    private static byte[]? Stored(string? header, int length)
    {
        if (string.IsNullOrEmpty(header) || header.Contains('-', StringComparison.Ordinal))
        {
            return null;
        }

        var bytes = new byte[length];
        return Convert.TryFromBase64String(header, bytes, out var written) && written == length ? bytes : null;
    }

#pragma warning disable CA5351 // S3's ETags and MD5 checksums are its transport integrity check, not a security primitive
    private static IncrementalHash Md5() => IncrementalHash.CreateHash(HashAlgorithmName.MD5);
#pragma warning restore CA5351
}
