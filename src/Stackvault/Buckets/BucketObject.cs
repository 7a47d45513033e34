namespace Stackvault.Buckets;

/// <summary>One object of a bucket: its key relative to the source prefix, size, last-modified time and ETag (no quotes).</summary>
public sealed record BucketObject(string Key, long Size, DateTimeOffset Modified, string? Etag);
