namespace Stackvault.Buckets;

/// <summary>What a bucket restore did: objects uploaded, already present (skipped), replaced, left out by the filters; blocks restored.</summary>
public sealed record BucketRestoreResult(int Uploaded, int Skipped, int Replaced, int Filtered, int Blocks, long Bytes, bool DryRun);
