using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Stackvault.Cli.Commands;
using Stackvault.Cli.Output;
using Stackvault.Notifications;

namespace Stackvault.Tests.Cli;

/// <summary>
/// The CLI's --json output is source-generated (Output/CliJsonContext.cs) and writes what the reflection serializer
/// wrote from the anonymous types it replaced, byte for byte: each record below against the anonymous type of the
/// code before (copied as it was), serialized with the options of then. These are the records no end-to-end test
/// reaches (engines and clusters the tests do not run, error paths), plus the escaping and the plain trees.
/// </summary>
public sealed class CliJsonShapeTests
{
    /// <summary>The options all --json output was written with, by reflection, before the source generation.</summary>
    private static readonly JsonSerializerOptions ReflectionOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };

    /// <summary>Text a relaxed and a strict encoder write differently, and what JSON must escape.</summary>
    private const string Tricky = "é 日本 <b>&+' \"q\" \\ \n\t\u0001 \U0001F600";

    private static readonly IReadOnlyList<string> List = ["a", Tricky];

    [Fact]
    public void Message_WritesTheMessageRecord()
    {
        Same(new { message = Tricky }, new MessageJson(Tricky), CliJsonContext.Relaxed.MessageJson);
    }

    [Fact]
    public void PostgresAndAlertmanagerRestores_WriteTheirSummaries()
    {
        Same(
            new { source = Tricky, roles_created = List, roles_kept = List, tablespaces_created = List, tablespaces_kept = List, drop_statements_skipped = 3 },
            new PgGlobalsSummaryJson(Tricky, List, List, List, List, 3),
            CliJsonContext.Relaxed.PgGlobalsSummaryJson);
        Same(
            new { database = "app", source = Tricky, format = "custom-format", previous_database_kept_as = (string?)"app_pre_restore_1" },
            new PgRestoreSummaryJson("app", Tricky, "custom-format", "app_pre_restore_1"),
            CliJsonContext.Relaxed.PgRestoreSummaryJson);
        Same(
            new { database = "app", source = Tricky, format = "plain SQL", previous_database_kept_as = (string?)null },
            new PgRestoreSummaryJson("app", Tricky, "plain SQL", null),
            CliJsonContext.Relaxed.PgRestoreSummaryJson);
        Same(new { created = 1, skipped_existing = 2, skipped_expired = 3 }, new SilencesSummaryJson(1, 2, 3), CliJsonContext.Relaxed.SilencesSummaryJson);
    }

    [Fact]
    public void KubernetesRestores_WriteTheirSummaries()
    {
        IReadOnlyList<string> restarted = ["deployment/grafana"];
        Same(
            new { component = "k8s", objects_applied = 4, archive_entries = 12, restarted },
            new K8sRestoreSummaryJson("k8s", 4, 12, restarted),
            CliJsonContext.Relaxed.K8sRestoreSummaryJson);

        var steps = new[] { ("ScaleDown", "scale <down>", List, (string?)null), ("Swap", Tricky, (IReadOnlyList<string>)[], (string?)"kind: PersistentVolumeClaim\n") };
        foreach (var (dryRun, retained) in new[] { (true, (string?)null), (false, (string?)"pv-1") })
        {
            Same(
                new
                {
                    dry_run = dryRun,
                    volume_snapshot = "snap",
                    source_pvc = "data",
                    restored_pvc = "data-restored",
                    workload = "statefulset/x",
                    wait_for_first_consumer = true,
                    retained_volume = retained,
                    steps = steps.Select(s => new { phase = s.Item1.ToLowerInvariant(), description = s.Item2, arguments = s.Item3, manifest = s.Item4 }),
                },
                new VolumeSnapshotRestoreJson(dryRun, "snap", "data", "data-restored", "statefulset/x", true, retained, steps.Select(s => new KubectlStepJson(s.Item1.ToLowerInvariant(), s.Item2, s.Item3, s.Item4))),
                CliJsonContext.Relaxed.VolumeSnapshotRestoreJson);
        }

        Same(
            new { dry_run = true, removed = new List<object> { new { component = "k8s", @namespace = "monitoring", volume_snapshot = "snap-1" } } },
            new PruneSnapshotsJson(true, [new RemovedVolumeSnapshotJson("k8s", "monitoring", "snap-1")]),
            CliJsonContext.Relaxed.PruneSnapshotsJson);
    }

    [Fact]
    public void ForgetJobTiers_SkippedAndDone_WriteTheirTwoShapes()
    {
        var time = new DateTimeOffset(2026, 5, 7, 6, 0, 0, TimeSpan.FromHours(2));
        var results = new List<object>
        {
            new { repository = "cold", role = "tier", policy = (string?)null, skipped = "no retention configured" },
            new { repository = "usb", role = "tier", policy = "repository usb: keep_last 1", skipped = Tricky },
            new
            {
                repository = "main", role = "repository", policy = "job j: keep_last 1", source = "job j",
                groups = new[] { new { host = (string?)"h", paths = (string[]?)["/a", "/b"], tags = (string[]?)null, keep = new[] { new { id = "k", time, complete = true, reasons = List } }, remove = new[] { new { id = "r", time, complete = false } } } },
                kept = 1, removed = 1, prune = (Stackvault.Maintenance.PruneResult?)null,
            },
        };
        var tiers = new List<ForgetTierJson>
        {
            new("cold", "tier", Policy: null, Skipped: "no retention configured"),
            new("usb", "tier", "repository usb: keep_last 1", Skipped: Tricky),
            new(
                "main", "repository", "job j: keep_last 1", Source: "job j",
                Groups: [new ForgetGroupJson("h", ["/a", "/b"], null, [new KeptSnapshotJson("k", time, true, List)], [new RemovedSnapshotJson("r", time, false)])],
                Kept: 1, Removed: 1, Prune: null),
        };
        Same(new { dry_run = true, job = "j", tiers = results }, new ForgetJobJson(true, "j", tiers), CliJsonContext.Relaxed.ForgetJobJson);
    }

    [Fact]
    public void ErrorsAndNulls_WriteAsBefore()
    {
        Same(
            new { keys = new[] { new { id = "abc", short_id = "abc", current = false, created = (DateTimeOffset?)null, hostname = (string?)null, username = (string?)null, kdf = (string?)null, iterations = (int?)null, error = (string?)Tricky } } },
            new KeyListJson([new KeyJson("abc", "abc", false, null, null, null, null, null, Tricky)]),
            CliJsonContext.Relaxed.KeyListJson);
        Same(
            new { ok = false, snapshots = 1, trees = 2, packs = 3, packs_read = 0, packs_selected = 0, read_data_subset = (string?)null, blobs_read = 0L, bytes_read = 0L, duration_seconds = 0.125, errors = new[] { new { @object = "pack/ab", message = Tricky, snapshots = List } }, warnings = List },
            new VerifySummaryJson(false, 1, 2, 3, 0, 0, null, 0, 0, 0.125, [new VerifyErrorJson("pack/ab", Tricky, List)], List),
            CliJsonContext.Relaxed.VerifySummaryJson);
        Same(
            new { change = "T", kind = "type changed", path = Tricky, type = (string?)"dir", old_type = (string?)"file", size = (long?)0, old_size = (long?)12 },
            new DiffChangeJson("T", "type changed", Tricky, "dir", "file", 0, 12),
            CliJsonContext.Relaxed.DiffChangeJson);
        Same(
            new { snapshot_id = "id", dry_run = false, restored = new[] { new { component = "pg", live = "app", kept_as = (string?)null } } },
            new LiveRestoreSummaryJson("id", false, [new LiveRestoredJson("pg", "app", null)]),
            CliJsonContext.Relaxed.LiveRestoreSummaryJson);
    }

    [Fact]
    public void Notify_WritesTheLibrarysResults()
    {
        IReadOnlyList<NotificationResult> results = [new("hook", "generic", "generic 127.0.0.1:9", false, 2, Tricky), new("mail", "smtp", "smtp host:587", true, 1, null)];
        Same(new { ok = false, results }, new NotifyTestJson(false, results), CliJsonContext.Relaxed.NotifyTestJson);
    }

    [Fact]
    public void PlainTrees_WriteAsTheReflectionSerializer()
    {
        var tree = new Dictionary<string, object?>
        {
            ["version"] = 1,
            ["long"] = 1L << 40,
            ["double"] = 0.1,
            ["flag"] = true,
            ["null"] = null,
            [Tricky] = Tricky,
            ["list"] = new List<object?> { 1, "two", null, new Dictionary<string, object?> { ["three"] = false } },
            ["strings"] = (IReadOnlyList<string>)["a", "b"],
            ["array"] = new[] { 2, 3 },
            ["readonly"] = (IReadOnlyDictionary<string, object?>)new Dictionary<string, object?> { ["x"] = new List<object?>() },
            ["counts"] = new Dictionary<string, long> { ["n"] = 5 },
            ["empty"] = new Dictionary<string, object?>(),
        };
        Same(tree, tree, CliJsonContext.Relaxed.DictionaryStringObject);
        Same(new { objects = new[] { tree, tree } }, new ManifestObjectsJson([tree, tree]), CliJsonContext.Relaxed.ManifestObjectsJson);
        Assert.Throws<NotSupportedException>(() => JsonSerializer.Serialize(new Dictionary<string, object?> { ["x"] = new Uri("http://a") }, CliJsonContext.Relaxed.DictionaryStringObject));
    }

    [Fact]
    public void Output_RefusesTypeInformationWithoutTheRelaxedEncoder()
    {
        var output = new CliOutput(json: true, quiet: false);
        Assert.Throws<ArgumentException>(() => output.Document(new MessageJson("é"), CliJsonContext.Default.MessageJson));
        Assert.Throws<ArgumentException>(() => output.Line("warning", new MessageJson("é"), CliJsonContext.Default.MessageJson));
        Assert.Same(CliOutput.JsonOptions, CliJsonContext.Relaxed.MessageJson.Options);
    }

    private static void Same<TOld, T>(TOld old, T value, JsonTypeInfo<T> type)
    {
        var expected = JsonSerializer.Serialize<object?>(old, ReflectionOptions);
        Assert.Equal(expected, JsonSerializer.Serialize(value, type));
    }
}
