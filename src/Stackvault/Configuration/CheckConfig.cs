namespace Stackvault.Configuration;

/// <summary>
/// A scheduled check of a job's snapshots: <c>verify</c> (with an optional <c>read_data_subset</c> such as
/// <c>1/10</c> or <c>5%</c>) or <c>drill</c> (a test restore).
/// </summary>
public sealed record CheckConfig(ScheduleConfig Schedule, string? ReadDataSubset, TimeSpan? Timeout);
