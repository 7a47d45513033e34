using Stackvault.Filtering;

namespace Stackvault.Backup;

/// <summary>
/// Counts the files and bytes a backup will walk, in the background, so a progress bar can show an ETA. Only lstat
/// calls; unreadable directories are skipped silently (the backup itself reports them).
/// </summary>
internal static class SourceScanner
{
    public static Task ScanAsync(IEnumerable<BackupSource> sources, PathFilter filter, BackupProgress progress, CancellationToken cancellationToken) =>
        Task.Run(
            () =>
            {
                long files = 0, bytes = 0;
                var pending = new Stack<string>(sources.Where(s => s.RealPath is not null).Select(s => s.RealPath!));
                while (pending.Count > 0 && !cancellationToken.IsCancellationRequested)
                {
                    var path = pending.Pop();
                    try
                    {
                        var status = Platform.Posix.LStat(path);
                        var type = status.Mode & NodeFactory.TypeMask;
                        if (type == NodeFactory.TypeDirectory)
                        {
                            foreach (var child in Directory.EnumerateFileSystemEntries(path))
                            {
                                if (!filter.IsExcluded(child))
                                {
                                    pending.Push(child);
                                }
                            }
                        }
                        else if (type == NodeFactory.TypeRegular)
                        {
                            files++;
                            bytes += status.Size;
                        }
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                    }
                }

                if (!cancellationToken.IsCancellationRequested)
                {
                    progress.TotalFiles = files;
                    progress.TotalBytes = bytes;
                }
            },
            cancellationToken);
}
