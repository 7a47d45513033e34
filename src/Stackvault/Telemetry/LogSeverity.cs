namespace Stackvault.Telemetry;

/// <summary>How important a log line is; <c>--verbose</c> shows <see cref="Verbose"/>, <c>--debug</c> everything.</summary>
public enum LogSeverity
{
    Debug = 0,
    Verbose = 1,
    Info = 2,
    Warning = 3,
    Error = 4,
}
