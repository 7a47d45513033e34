namespace Stackvault.Components.Prometheus;

/// <summary>One sample of a series: its timestamp (millisecond precision, as Prometheus stores it) and value.</summary>
public readonly record struct PrometheusSample(DateTimeOffset Timestamp, double Value);
