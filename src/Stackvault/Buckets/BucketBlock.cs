namespace Stackvault.Buckets;

/// <summary>One block of a bucket report. Times are Unix milliseconds (TSDB minTime/maxTime, Tempo start/end), when known.</summary>
public sealed record BucketBlock(string Tenant, string Id, string State, long? MinTime, long? MaxTime, int Objects, long Bytes, string? Problem, bool Selected);
