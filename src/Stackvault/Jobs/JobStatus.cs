using System.Text.Json.Serialization;

namespace Stackvault.Jobs;

/// <summary>
/// The result of a job run: success, partial or failure. Written as those lower-case strings in the status file,
/// <c>--json</c> output, logs and the <c>result</c> label of <c>stackvault_backup_runs_total</c>.
/// </summary>
[JsonConverter(typeof(JobStatusJsonConverter))]
public enum JobStatus
{
    [JsonStringEnumMemberName("success")]
    Success = 1,

    [JsonStringEnumMemberName("partial")]
    Partial = 2,

    [JsonStringEnumMemberName("failure")]
    Failure = 3,
}

/// <summary>Every <see cref="JobStatus"/> and its written spelling.</summary>
public static class JobStatuses
{
    public static readonly IReadOnlyList<JobStatus> All = [JobStatus.Success, JobStatus.Partial, JobStatus.Failure];

    public static string Name(this JobStatus status) => Repository.Model.StoredNames<JobStatus>.Of(status);
}

/// <summary>Reads and writes only the member names; integers are refused.</summary>
public sealed class JobStatusJsonConverter() : JsonStringEnumConverter<JobStatus>(namingPolicy: null, allowIntegerValues: false);
