namespace Stackvault.Jobs;

/// <summary>The result of a job run as metrics and the status file name it: success, partial or failure.</summary>
public static class JobStatus
{
    public const string Success = "success";
    public const string Partial = "partial";
    public const string Failure = "failure";

    public static readonly IReadOnlyList<string> All = [Success, Partial, Failure];
}
