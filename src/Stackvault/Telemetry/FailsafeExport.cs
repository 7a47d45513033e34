using System.Text.Json;
using System.Text.Json.Serialization;
using Stackvault.Configuration;
using Stackvault.Jobs;

namespace Stackvault.Telemetry;

/// <summary>
/// The failsafe export ("who watches the watchers", docs/operations.md): after every run (backup, verify, drill; the
/// CLI's and the daemon's) a small JSON document is rewritten at <c>failsafe.path</c>, atomically (temp file, fsync,
/// rename), holding each job's last result, its age against its RPO, the newest snapshot in each of its repositories
/// and tiers, its last verify, and its last drill with the RTO against the job's target. It is a file: it stays
/// readable when Prometheus, Alertmanager or Grafana's datasource are what failed. Format <c>stackvault-failsafe/1</c>.
/// </summary>
public static partial class FailsafeExport
{
    public const string Format = "stackvault-failsafe/1";

    private static readonly TimeSpan OtlpTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Writes the export when the config has <c>failsafe:</c>, then with <c>failsafe.otlp</c> pushes the metrics over
    /// OTLP (<see cref="OtlpPush"/>); a failure of either is a warning, never a failed run.
    /// </summary>
    public static void TryWrite(StackvaultConfig? config, StatusStore store, DateTimeOffset now, Action<string> warn)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(warn);
        if (config?.Failsafe is not { } failsafe)
        {
            return;
        }

        StatusFile state;
        try
        {
            state = store.Load();
            Write(failsafe.Path, config, state, now);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Errors.StackvaultException)
        {
            warn($"cannot write the failsafe export {failsafe.Path}: {e.Message}");
            return;
        }

        if (failsafe.OtlpEndpoint is { } endpoint
            && !OtlpPush.Push(endpoint, MetricsBuilder.Families(MonitoredJob.From(config, state), state, now, BuildInfo.Version), OtlpTimeout))
        {
            warn($"cannot push the metrics over OTLP to {endpoint.GetLeftPart(UriPartial.Path).TrimEnd('/')}/v1/metrics: the export failed (receiver unreachable, refused, or slower than {OtlpTimeout.TotalSeconds:0} s)");
        }
    }


    public static void Write(string path, StackvaultConfig config, StatusFile state, DateTimeOffset now)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        AtomicFile.Write(path, JsonSerializer.SerializeToUtf8Bytes(Document(config, state, now), FailsafeJsonContext.Default.FailsafeDocument));
    }

    /// <summary>The document (see docs/operations.md for every field).</summary>
    public static object Build(StackvaultConfig config, StatusFile state, DateTimeOffset now) => Document(config, state, now);

    private static FailsafeDocument Document(StackvaultConfig config, StatusFile state, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(state);
        var jobs = MonitoredJob.From(config, state).Select(j => Job(config, j, state.Jobs.GetValueOrDefault(j.Name), now)).ToList();
        return new FailsafeDocument(Format, now, Environment.MachineName, BuildInfo.Version, jobs.All(j => j.Ok), jobs);
    }

    private static FailsafeJob Job(StackvaultConfig config, MonitoredJob job, JobState? state, DateTimeOffset now)
    {
        var view = JobStatusView.Of(job, state, now);
        var configured = config.Jobs[job.Name];
        var tiers = new List<FailsafeTier>
        {
            new(configured.Repository, "repository", state?.LastSuccess is { SnapshotId: { } id } s ? new SnapshotRef(id, s.Start) : null, null, null, null,
                state?.LastRetention?.Policy),
        };
        foreach (var name in configured.CopyTo)
        {
            var tier = state?.Tiers.GetValueOrDefault(name);
            tiers.Add(new FailsafeTier(name, "tier", tier?.Newest, tier?.Last?.Result, tier?.Last?.At, tier?.Last?.LagSnapshots, tier?.LastRetention?.Policy));
        }

        var drill = state?.Drill is { } d
            ? new FailsafeDrill(d.At, d.Ok, d.RtoSeconds, d.RtoTargetSeconds ?? configured.Rto.TargetSeconds(anyData: true), d.RtoMet, d.LastSuccessAt)
            : null;
        var last = view.LastRun is { } run ? new FailsafeRun(run.Status, run.Start, run.DurationSeconds, run.SnapshotId, run.Error) : null;
        var ok = !view.RpoBreached && (last is null || last.Status == JobStatus.Success) && drill is not { Ok: false } && state?.Verify is not { Ok: false };
        return new FailsafeJob(
            job.Name, ok, last, view.LastSuccess?.Start, view.AgeSeconds, view.RpoSeconds, view.RpoState, view.RpoBreached,
            tiers, state?.Verify is { } v ? new FailsafeVerify(v.At, v.Ok, v.Subset, v.Message) : null, drill,
            new FailsafeRto(configured.Rto.Config.TotalSeconds, configured.Rto.Data.TotalSeconds, configured.Rto.Total?.TotalSeconds));
    }

    private sealed record FailsafeDocument(string Format, DateTimeOffset GeneratedAt, string Host, string Version, bool Ok, List<FailsafeJob> Jobs);

    private sealed record FailsafeJob(
        string Job, bool Ok, FailsafeRun? LastResult, DateTimeOffset? LastSuccessAt, double? AgeSeconds, double? RpoSeconds, string RpoState, bool RpoBreached,
        IReadOnlyList<FailsafeTier> Tiers, FailsafeVerify? Verify, FailsafeDrill? Drill, FailsafeRto RtoTargets);

    private sealed record FailsafeRun(JobStatus Status, DateTimeOffset At, double DurationSeconds, string? Snapshot, string? Error);

    private sealed record FailsafeTier(string Repository, string Role, SnapshotRef? NewestSnapshot, string? LastCopy, DateTimeOffset? LastCopyAt, int? LagSnapshots, string? Retention);

    private sealed record FailsafeVerify(DateTimeOffset At, bool Ok, string? Subset, string? Message);

    private sealed record FailsafeDrill(DateTimeOffset At, bool Ok, double RtoSeconds, double RtoTargetSeconds, bool? RtoMet, DateTimeOffset? LastSuccessAt);

    private sealed record FailsafeRto(double ConfigSeconds, double DataSeconds, double? TotalSeconds);

    /// <summary>Source-generated JSON for the export: snake_case names, every property written (nulls too), indented.</summary>
    [JsonSourceGenerationOptions(
        PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        WriteIndented = true)]
    [JsonSerializable(typeof(FailsafeDocument))]
    private sealed partial class FailsafeJsonContext : JsonSerializerContext;
}
