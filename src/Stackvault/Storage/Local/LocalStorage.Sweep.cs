namespace Stackvault.Storage.Local;

/// <summary>
/// Sweeping of <see cref="LocalStorage"/>: a writer killed between creating its <c>.tmp-*</c> file and linking it to
/// the object name leaves the temp file behind. Listings never show it; prune removes those older than its cut-off
/// (every live writer's temp file is younger: an object is written within seconds).
/// </summary>
public sealed partial class LocalStorage
{
    private static readonly EnumerationOptions SweepOptions = new()
    {
        AttributesToSkip = 0,
        IgnoreInaccessible = true,
        RecurseSubdirectories = true,
        MaxRecursionDepth = 2, // root, data/, data/xx/
        ReturnSpecialDirectories = false,
        MatchType = MatchType.Simple,
    };

    public ValueTask<SweepResult> SweepAbandonedAsync(DateTimeOffset olderThan, CancellationToken cancellationToken)
    {
        var removed = 0;
        long bytes = 0;
        foreach (var file in new DirectoryInfo(Root).EnumerateFiles(TempPrefix + "*", SweepOptions))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (file.LastWriteTimeUtc >= olderThan.UtcDateTime)
            {
                continue;
            }

            try
            {
                var length = file.Length;
                file.Delete();
                removed++;
                bytes += length;
            }
            catch (FileNotFoundException)
            {
                // another sweeper got it first
            }
        }

        return ValueTask.FromResult(new SweepResult(removed, bytes, null));
    }
}
