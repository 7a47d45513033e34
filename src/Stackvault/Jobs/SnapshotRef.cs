namespace Stackvault.Jobs;

/// <summary>A snapshot by id and time, as status.json and the failsafe export name the newest one of a tier.</summary>
public sealed record SnapshotRef(string Id, DateTimeOffset Time);
