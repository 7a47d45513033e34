using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Stackvault.Components.Kubernetes;
using Stackvault.Configuration;
using Stackvault.Drill;
using Stackvault.Jobs;
using Stackvault.Repository.Model;
using Stackvault.Telemetry;
using Stackvault.Tests.Crypto;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Telemetry;

/// <summary>
/// The library's JSON goes through source-generated metadata or Utf8JsonWriter (NativeAOT-safe) and is byte for byte
/// what the reflection serializer wrote with the same options: the reflection serializer, with the options each
/// writer had, is the oracle here. Status files written before a field existed keep its default when read.
/// </summary>
public sealed class SourceGeneratedJsonTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 2, 3, 4, 567, TimeSpan.Zero);

    private static readonly JsonSerializerOptions ReflectionStatus = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };

    private const string Hostile = "é 日本 🎉 <script>&'\"\n\t\u0001 \\ @everyone";

    [Fact]
    public void StatusFile_IsWrittenAsTheReflectionSerializerWroteIt_AndReadsBackTheSame()
    {
        using var temp = new TempDirectory();
        var store = new StatusStore(temp.Path, new FixedTimeProvider(Now));
        store.Update(Fill);

        var written = File.ReadAllBytes(store.Path);
        var loaded = store.Load();
        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(loaded, ReflectionStatus), written);
        var byReflection = JsonSerializer.Deserialize<StatusFile>(written, ReflectionStatus)!;
        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(byReflection, ReflectionStatus), JsonSerializer.SerializeToUtf8Bytes(loaded, StatusStore.JsonOptions));
    }

    [Fact]
    public void StatusFile_WrittenBeforeTriggerAndTierCopies_ReadsTheirDefaults_AsTheReflectionSerializerDid()
    {
        using var temp = new TempDirectory();
        const string old = """{"version":1,"jobs":{"a":{"last_run":{"job":"a","status":"success","start":"2025-01-01T00:00:00Z","components":[]}}}}""";
        File.WriteAllText(Path.Combine(temp.Path, StatusStore.FileName), old);

        var run = new StatusStore(temp.Path, TimeProvider.System).Load().Jobs["a"].LastRun!;
        var byReflection = JsonSerializer.Deserialize<StatusFile>(old, ReflectionStatus)!.Jobs["a"].LastRun!;

        Assert.Equal(("manual", 0), (run.Trigger, run.TierCopies.Count));
        Assert.Equal((byReflection.Trigger, byReflection.TierCopies.Count), (run.Trigger, run.TierCopies.Count));
    }

    [Fact]
    public void StatusReport_IsWrittenAsTheReflectionSerializerWroteIt()
    {
        using var temp = new TempDirectory();
        var store = new StatusStore(temp.Path, new FixedTimeProvider(Now));
        var state = store.Update(Fill);
        List<MonitoredJob> jobs = [new("critical", "local", "0 2 * * *", TimeSpan.FromHours(26), ["warm", "cold"]), new("bulk", null, null, null, [])];

        var report = StatusReport.Build(jobs, state, temp.Path + " \"ü\"", Now);

        Assert.Equal(JsonSerializer.Serialize(report, ReflectionStatus), report.ToJson());
    }

    [Fact]
    public void FailsafeExport_IsWrittenAsTheReflectionSerializerWroteIt()
    {
        using var temp = new TempDirectory();
        var state = new StatusStore(temp.Sub("state"), new FixedTimeProvider(Now)).Update(Fill);
        var config = ConfigLoader.LoadFromText($$"""
            repositories:
              local: { url: /srv/repo, password_file: /etc/pw, retention: { keep_last: 3 } }
              warm: { url: /srv/warm, password_file: /etc/pw }
              cold: { url: /srv/cold, password_file: /etc/pw }
            components:
              files: { type: files, paths: [/etc] }
            jobs:
              critical: { repository: local, components: [files], copy_to: [warm, cold], rpo: 26h, rto: { total: 1h } }
              bulk: { repository: local, components: [files] }
            failsafe: { path: {{temp.Sub("failsafe.json")}} }
            """, "test.yaml", _ => null).Config!;
        var reflection = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            WriteIndented = true,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        };

        foreach (var status in new[] { state, new StatusFile() })
        {
            FailsafeExport.Write(temp.Sub("failsafe.json"), config, status, Now);
            Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(FailsafeExport.Build(config, status, Now), reflection), File.ReadAllBytes(temp.Sub("failsafe.json")));
        }
    }

    [Fact]
    public void DrillReport_IsWrittenAsTheFormerAnonymousModelWas()
    {
        var report = new DrillReport(Hostile, "0123abcd", Now.AddDays(-1), Now, Now.AddMinutes(3),
        [
            new DrillComponentResult("prom", "prometheus", true, 10.5, 2.25, 100, 1L << 33, 300,
                [DrillCheckResult.Pass("promtool tsdb list", Hostile), DrillCheckResult.Compare("count", 5, 4), new("raw", true, "e", "a", null)], null),
            new DrillComponentResult("pg", "postgres", false, 0.1, 0, 0, 0, 60, [], Hostile),
            new DrillComponentResult("big", "files", true, 1e-9, 1e9, long.MaxValue, long.MinValue, double.MaxValue, [new("x", false)], string.Empty),
        ]);
        var reflection = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            WriteIndented = true,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        };

        foreach (var r in new[] { report, new DrillReport("j", "s", Now, Now, Now, []) })
        {
            Assert.Equal(JsonSerializer.Serialize(FormerModel(r), reflection), DrillReportJson.Serialize(r));
            Assert.Equal(JsonSerializer.Serialize(FormerModel(r), CompactSnakeCase), JsonSerializer.Serialize(DrillReportJson.Model(r), CompactSnakeCase));
        }
    }

    [Fact]
    public void LogLines_AreWrittenAsTheReflectionSerializerWroteTheRecord()
    {
        (string Key, object? Value)[] fields =
        [
            ("job", Hostile), ("int", -1), ("long", long.MaxValue), ("double", 0.1), ("third", 1.0 / 3), ("big", 1e21), ("neg0", -0.0), ("whole", 3.0),
            ("bool", true), ("null", null), ("float", 2.5f), ("decimal", 1.10m), ("short", (short)3), ("byte", (byte)255), ("uint", 7u),
            ("ulong", ulong.MaxValue), ("sbyte", (sbyte)-1), ("ushort", (ushort)9), ("char", 'x'), ("span", TimeSpan.FromSeconds(90.5)),
            ("guid", Guid.Empty), ("datetime", new DateTime(2025, 1, 2, 3, 4, 5, DateTimeKind.Utc)), ("day", DayOfWeek.Friday),
            ("status", JobStatus.Partial), ("component", ComponentStatus.Failed), ("snapshot", SnapshotStatus.Complete), ("msg", "replaced"), ("", "empty key"),
        ];
        using var writer = new StringWriter();
        new Log(writer, json: true, LogSeverity.Debug, new FixedTimeProvider(Now)).Warn("message " + Hostile, fields);

        var record = new Dictionary<string, object?> { ["time"] = "2025-06-01T02:03:04.567Z", ["level"] = "warn", ["msg"] = "message " + Hostile };
        foreach (var (key, value) in fields)
        {
            record[key] = value;
        }

        var reflection = new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, TypeInfoResolver = new DefaultJsonTypeInfoResolver() };
        Assert.Equal(JsonSerializer.Serialize(record, reflection) + Environment.NewLine, writer.ToString());
    }

    [Fact]
    public void LogText_QuotesValuesAsTheReflectionSerializerWroteThem()
    {
        using var writer = new StringWriter();
        new Log(writer, json: false, LogSeverity.Debug, new FixedTimeProvider(Now)).Info("m", ("error", Hostile));

        var reflection = new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, TypeInfoResolver = new DefaultJsonTypeInfoResolver() };
        Assert.Equal($"2025-06-01T02:03:04.567Z info  m error={JsonSerializer.Serialize(Hostile, reflection)}" + Environment.NewLine, writer.ToString());
    }

    [Fact]
    public void KubernetesRecords_AreWrittenAsTheFormerAnonymousObjectsWere()
    {
        List<KubernetesPodDataRecord> pods = [new(0, "loki-0", null, "/loki"), new(1, "web-1", "c " + Hostile, "/data")];
        var former = new { @namespace = "obs", pod_data = pods.Select(p => (object)new { index = p.Index, pod = p.Pod, container = p.Container, path = p.Path }).ToList() };
        var reflection = new JsonSerializerOptions { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };
        Assert.Equal(JsonSerializer.Serialize(former, reflection), JsonSerializer.Serialize(new KubernetesComponentRecord("obs", pods), KubernetesJsonContext.Default.KubernetesComponentRecord));

        List<VolumeSnapshotRecord> made = [new("snap-1", "data-0", "csi " + Hostile, Now), new("snap-2", "data-1", "csi", Now.AddHours(-2))];
        var indented = new JsonSerializerOptions { WriteIndented = true, TypeInfoResolver = new DefaultJsonTypeInfoResolver() };
        Assert.Equal(JsonSerializer.Serialize(made, indented), JsonSerializer.Serialize(made, KubernetesJsonContext.Indented.ListVolumeSnapshotRecord));
    }

    private static readonly JsonSerializerOptions CompactSnakeCase = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };

    /// <summary>DrillReportJson.Model as it was: an anonymous object (the CLI's --json output serialized it too).</summary>
    private static object FormerModel(DrillReport report) => new
    {
        job = report.Job,
        snapshot_id = report.SnapshotId,
        snapshot_time = report.SnapshotTime,
        started_at = report.StartedAt,
        finished_at = report.FinishedAt,
        status = report.Status,
        passed = report.Passed,
        failed_components = report.FailedComponents,
        total_rto_seconds = report.TotalRtoSeconds,
        components = report.Components.Select(c => new
        {
            name = c.Name,
            type = c.Type,
            passed = c.Passed,
            restore_seconds = c.RestoreSeconds,
            check_seconds = c.CheckSeconds,
            rto_seconds = c.RtoSeconds,
            rto_target_seconds = c.RtoTargetSeconds,
            rto_met = c.RtoMet,
            files_restored = c.FilesRestored,
            bytes_restored = c.BytesRestored,
            error = c.Error,
            checks = c.Checks.Select(k => new { name = k.Name, passed = k.Passed, expected = k.Expected, actual = k.Actual, message = k.Message }),
        }),
    };

    /// <summary>A status file using every kind of field: runs with components, tier copies, retention, verify, drill.</summary>
    private static void Fill(StatusFile state)
    {
        var components = new List<ComponentOutcome>
        {
            new("prom", "prometheus", ComponentStatus.Complete, 1.25, 1024, null),
            new("pg ü", "postgres", ComponentStatus.Failed, 0.1, 0, Hostile),
            new("loki", "loki", ComponentStatus.Partial, 1e-7, long.MaxValue, string.Empty),
        };
        var retention = new RetentionRecord(3, Now, true, "keep_last: 3 " + Hostile, [new("abc", Now, ["last", "daily"]), new("def", Now.AddDays(-1), [])]);
        JobOutcome Outcome(JobStatus status, int i) =>
            new("critical", "local", status, Now.AddHours(-i), 12.5 + i, i % 2 == 0 ? "0123456789abcdef" : null, 1L << 40, 12345, components, status == JobStatus.Success ? null : Hostile)
            {
                Trigger = i % 3 == 0 ? "manual" : "schedule",
                TierCopies = [new("warm", TierCopyRecord.Success, Now, 0, null, 2, retention, new SnapshotRef("abc", Now)), new("cold", TierCopyRecord.Failure, Now, 5, Hostile)],
                Retention = i == 0 ? retention : null,
            };

        var job = state.Job("critical");
        job.LastRun = Outcome(JobStatus.Partial, 0);
        job.LastSuccess = Outcome(JobStatus.Success, 1);
        job.RecentRuns = [job.LastRun, job.LastSuccess, Outcome(JobStatus.Failure, 2)];
        job.RunsTotal["success"] = 5;
        job.RunsTotal["failure"] = 1;
        job.MissedRunsTotal = 2;
        job.LastMissedAt = Now.AddMinutes(-5);
        job.LastDue = Now.AddMinutes(-1);
        job.NextRun = Now.AddHours(1);
        job.Verify = new VerifyState { At = Now, Ok = false, DurationSeconds = 3.25, Subset = "3/7", Errors = 2, Message = Hostile, LastSuccessAt = Now.AddDays(-2) };
        job.VerifyNextSlice = 4;
        job.Drill = new DrillState { At = Now, Ok = true, RtoSeconds = 120.5, LastSuccessAt = Now, RtoTargetSeconds = 300, RtoMet = true };
        job.Tiers["warm"] = new TierState { Last = job.LastRun.TierCopies[0], LastSuccessAt = Now, Newest = new SnapshotRef("abc", Now), LastRetention = retention };
        job.Tiers["cold"] = new TierState { Last = job.LastRun.TierCopies[1] };
        job.RetentionRemovedSnapshotsTotal = 9;
        job.LastRetention = retention;
        job.PruneLastSuccessAt = Now;
        state.Job("bulk");
    }
}
