namespace Stackvault.Buckets;

/// <summary>Options of <see cref="BucketBackup"/>.</summary>
public sealed record BucketBackupOptions
{
    /// <summary>The component name: objects go under <c>/&lt;name&gt;/</c> in the snapshot.</summary>
    public string Name { get; init; } = "bucket";

    public required BucketScanOptions Scan { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];

    public string Hostname { get; init; } = Environment.MachineName;

    public Repository.ObjectId? Parent { get; init; }

    /// <summary>Download every object even when the parent has it unchanged.</summary>
    public bool Force { get; init; }

    /// <summary>Objects downloaded in parallel.</summary>
    public int Concurrency { get; init; } = 8;
}
