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
            output.Line("summary", new
            {
                files_new = s.FilesNew,
                files_changed = s.FilesChanged,
                files_unmodified = s.FilesUnmodified,
                dirs_new = s.DirsNew,
                dirs_changed = s.DirsChanged,
                dirs_unmodified = s.DirsUnmodified,
                data_blobs = s.DataBlobs,
                tree_blobs = s.TreeBlobs,
                data_added = s.DataAdded,
                data_added_packed = s.DataAddedPacked,
                total_files_processed = s.TotalFilesProcessed,
                total_bytes_processed = s.TotalBytesProcessed,
                total_duration = duration.TotalSeconds,
                backup_start = s.BackupStart,
                backup_end = s.BackupEnd,
                snapshot_id = result.SnapshotId?.ToString(),
                // beyond restic's summary: the snapshot's status, parent, bytes read, error count and components
                status = result.Snapshot.Status,
                parent = result.ParentId?.ToString(),
                bytes_read = s.BytesRead,
                errors = result.Snapshot.Errors.Count,
                components = components?.Select(c => new { name = c.Name, status = c.Status, method = c.Method, error = c.Error }),
            });
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
