namespace Stackvault.Buckets;

/// <summary>
/// What a bucket restore did: objects uploaded, already present (skipped), replaced, left out by the filters; blocks
/// restored; corrupt blocks left out (without --include-corrupt) and corrupt blocks whose meta.json was withheld
/// (with it, when a file meta.json lists is missing), each as "tenant/block (problem)".
/// </summary>
public sealed record BucketRestoreResult(int Uploaded, int Skipped, int Replaced, int Filtered, int Blocks, long Bytes, bool DryRun)
{
    public IReadOnlyList<string> CorruptLeftOut { get; init; } = [];

    public IReadOnlyList<string> MetaWithheld { get; init; } = [];
}
