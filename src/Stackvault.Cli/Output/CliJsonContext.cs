using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Stackvault.Cli.Commands;
using Stackvault.Maintenance;
using Stackvault.Repair;

namespace Stackvault.Cli.Output;

/// <summary>
/// Source-generated JSON of the CLI's --json output (NativeAOT- and trim-safe: nothing is serialized by reflection):
/// snake_case names, nulls left out. Every document and record type is listed here; its fields are declared in the
/// order they are written. <see cref="Relaxed"/> is the instance to write with: the relaxed encoder cannot be set by
/// attribute. Plain trees (config show, generated Kubernetes objects) go through <see cref="PlainTreeJsonConverter"/>.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(PlainTreeJsonConverter)])]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(Dictionary<string, JsonElement>))]
[JsonSerializable(typeof(Dictionary<string, object?>))]
[JsonSerializable(typeof(MessageJson))]
[JsonSerializable(typeof(ProgressStatus))]
[JsonSerializable(typeof(BackupSummaryJson))]
[JsonSerializable(typeof(BucketReportJson))]
[JsonSerializable(typeof(BucketRestoreSummaryJson))]
[JsonSerializable(typeof(ConfigInvalidJson))]
[JsonSerializable(typeof(ConfigValidJson))]
[JsonSerializable(typeof(CopySummaryJson))]
[JsonSerializable(typeof(DiffJson))]
[JsonSerializable(typeof(Stackvault.Drill.DrillReportDocument))]
[JsonSerializable(typeof(ExportSummaryJson))]
[JsonSerializable(typeof(ForgetJson))]
[JsonSerializable(typeof(ForgetJobJson))]
[JsonSerializable(typeof(IndexRepairResult))]
[JsonSerializable(typeof(InitJson))]
[JsonSerializable(typeof(K8sRestoreSummaryJson))]
[JsonSerializable(typeof(KeyAddedJson))]
[JsonSerializable(typeof(KeyListJson))]
[JsonSerializable(typeof(KeyRemovedJson))]
[JsonSerializable(typeof(List<BucketShardGroupJson>))]
[JsonSerializable(typeof(List<SnapshotListJson>))]
[JsonSerializable(typeof(LivePlanSummaryJson))]
[JsonSerializable(typeof(LiveRestoreSummaryJson))]
[JsonSerializable(typeof(MaintainSummaryJson))]
[JsonSerializable(typeof(ManifestFilesJson))]
[JsonSerializable(typeof(ManifestObjectsJson))]
[JsonSerializable(typeof(NotifyTestJson))]
[JsonSerializable(typeof(PasswordChangedJson))]
[JsonSerializable(typeof(PgGlobalsSummaryJson))]
[JsonSerializable(typeof(PgRestoreSummaryJson))]
[JsonSerializable(typeof(PruneResult))]
[JsonSerializable(typeof(PruneSnapshotsJson))]
[JsonSerializable(typeof(RestoreSummaryJson))]
[JsonSerializable(typeof(ShowJson))]
[JsonSerializable(typeof(SilencesSummaryJson))]
[JsonSerializable(typeof(SnapshotRepairResult))]
[JsonSerializable(typeof(UnlockJson))]
[JsonSerializable(typeof(VerifySummaryJson))]
[JsonSerializable(typeof(VolumeSnapshotRestoreJson))]
internal sealed partial class CliJsonContext : JsonSerializerContext
{
    private static readonly Lazy<CliJsonContext> RelaxedContext = new(CreateRelaxed);

    /// <summary>
    /// The context the CLI writes with: <see cref="Default"/>'s options (the attribute's) with the
    /// relaxed encoder, which leaves non-ASCII text and HTML-sensitive characters as they are (é, &lt;, &gt;, &amp;, +,
    /// ') and escapes only what JSON requires (quotes, backslashes, control characters), as the output always had it.
    /// </summary>
    public static CliJsonContext Relaxed => RelaxedContext.Value;

    private static CliJsonContext CreateRelaxed() => new(new JsonSerializerOptions(Default.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}
