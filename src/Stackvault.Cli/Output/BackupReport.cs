using Stackvault.Backup;
using Stackvault.Repository.Model;

namespace Stackvault.Cli.Output;

/// <summary>Prints a backup's outcome: the summary record with --json, a few lines for people otherwise.</summary>
internal static class BackupReport
{
    public static void Write(CliOutput output, BackupResult result, IReadOnlyList<ComponentSection>? components = null)
    {
        var s = result.Snapshot.Summary!;
        var duration = s.BackupEnd - s.BackupStart;
        foreach (var error in result.Snapshot.Errors)
        {
            output.Warn($"{error.Path}: {error.Message}");
        }

        if (output.Json)
        {
            output.Line("summary", new BackupSummaryJson(
                FilesNew: s.FilesNew,
                FilesChanged: s.FilesChanged,
                FilesUnmodified: s.FilesUnmodified,
                DirsNew: s.DirsNew,
                DirsChanged: s.DirsChanged,
                DirsUnmodified: s.DirsUnmodified,
                DataBlobs: s.DataBlobs,
                TreeBlobs: s.TreeBlobs,
                DataAdded: s.DataAdded,
                DataAddedPacked: s.DataAddedPacked,
                TotalFilesProcessed: s.TotalFilesProcessed,
                TotalBytesProcessed: s.TotalBytesProcessed,
                TotalDuration: duration.TotalSeconds,
                BackupStart: s.BackupStart,
                BackupEnd: s.BackupEnd,
                SnapshotId: result.SnapshotId?.ToString(),
                Status: result.Snapshot.Status,
                Parent: result.ParentId?.ToString(),
                BytesRead: s.BytesRead,
                Errors: result.Snapshot.Errors.Count,
                Components: components?.Select(c => new BackupComponentJson(c.Name, c.Status, c.Method, c.Error))), CliJsonContext.Relaxed.BackupSummaryJson);
            return;
        }

        foreach (var c in components ?? [])
        {
            output.Info($"Component:   {c.Name} ({c.Method}): {c.Status.Name()}{(c.Error is null ? string.Empty : ": " + c.Error)}");
        }

        output.Info($"Files:       {s.FilesNew} new, {s.FilesChanged} changed, {s.FilesUnmodified} unmodified");
        output.Info($"Dirs:        {s.DirsNew} new, {s.DirsChanged} changed, {s.DirsUnmodified} unmodified");
        output.Info($"Added:       {Units.Bytes(s.DataAdded)} ({Units.Bytes(s.DataAddedPacked)} stored)");
        output.Info($"Processed:   {s.TotalFilesProcessed} files, {Units.Bytes(s.TotalBytesProcessed)} ({Units.Bytes(s.BytesRead)} read) in {Units.Duration(duration)}");
        var failed = components?.Count(c => c.Status != ComponentStatus.Complete) ?? 0;
        var why = failed > 0 ? $"{failed} component(s) not complete, {result.Snapshot.Errors.Count} items unreadable" : $"{result.Snapshot.Errors.Count} items unreadable";
        var status = result.IsPartial ? $"PARTIAL ({why})" : "complete";
        output.Result($"snapshot {result.SnapshotId?.ToShortString()} saved, {status}");
    }
}

/// <summary>
/// The <c>summary</c> record of a backup: restic's summary first, then beyond it the snapshot's status, parent, bytes
/// read, error count and components.
/// </summary>
internal sealed record BackupSummaryJson(
    long FilesNew,
    long FilesChanged,
    long FilesUnmodified,
    long DirsNew,
    long DirsChanged,
    long DirsUnmodified,
    long DataBlobs,
    long TreeBlobs,
    long DataAdded,
    long DataAddedPacked,
    long TotalFilesProcessed,
    long TotalBytesProcessed,
    double TotalDuration,
    DateTimeOffset BackupStart,
    DateTimeOffset BackupEnd,
    string? SnapshotId,
    SnapshotStatus Status,
    string? Parent,
    long BytesRead,
    int Errors,
    IEnumerable<BackupComponentJson>? Components);

/// <summary>One component of a job's backup in its summary.</summary>
internal sealed record BackupComponentJson(string Name, ComponentStatus Status, string Method, string? Error);
