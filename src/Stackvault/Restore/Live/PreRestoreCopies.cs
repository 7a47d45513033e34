using System.Globalization;
using Stackvault.Errors;

namespace Stackvault.Restore.Live;

/// <summary>
/// The <c>PATH.pre-restore-TIME</c> copies a live restore leaves beside each live path: listed, rolled back (the newest
/// copy returns to PATH, the restored data moves to <c>PATH.rolled-back-TIME</c>) or removed.
/// </summary>
public static class PreRestoreCopies
{
    public const string Marker = ".pre-restore-";

    /// <summary>What a rollback leaves: the restored data it moved aside, <c>PATH.rolled-back-TIME</c> (removed by --cleanup).</summary>
    public const string RolledBackMarker = ".rolled-back-";

    /// <summary>UTC to the millisecond: two restores within one second must not pick the same name.</summary>
    public static string Stamp(TimeProvider time) => time.GetUtcNow().ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture);

    /// <summary>The copies of <paramref name="livePath"/> named with <paramref name="marker"/>, newest stamp first.</summary>
    public static IReadOnlyList<(string Path, string Stamp)> Find(string livePath, string marker = Marker)
    {
        var directory = Path.GetDirectoryName(livePath);
        if (directory is null || !Directory.Exists(directory))
        {
            return [];
        }

        var prefix = Path.GetFileName(livePath) + marker;
        return [.. Directory.EnumerateFileSystemEntries(directory, prefix + "*")
            .Where(p => Path.GetFileName(p).StartsWith(prefix, StringComparison.Ordinal))
            .Select(p => (p, Path.GetFileName(p)[prefix.Length..]))
            .OrderByDescending(p => p.Item2, StringComparer.Ordinal)];
    }

    /// <summary>
    /// Removes the copies of <paramref name="livePaths"/> except those stamped <paramref name="keepStamp"/> (with
    /// <paramref name="rolledBackToo"/> also the <c>*.rolled-back-TIME</c> ones); returns the paths removed (with
    /// <paramref name="dryRun"/>: those that would be, nothing is removed).
    /// </summary>
    public static IReadOnlyList<string> Remove(IEnumerable<string> livePaths, string? keepStamp, bool rolledBackToo = false, bool dryRun = false)
    {
        var removed = new List<string>();
        var paths = livePaths.ToList();
        var copies = paths.SelectMany(p => Find(p)).Concat(rolledBackToo ? paths.SelectMany(p => Find(p, RolledBackMarker)) : []);
        foreach (var (path, stamp) in copies)
        {
            if (stamp == keepStamp)
            {
                continue;
            }

            if (dryRun)
            {
                removed.Add(path);
                continue;
            }

            if (Directory.Exists(path) && new FileInfo(path).LinkTarget is null)
            {
                Directory.Delete(path, recursive: true);
            }
            else
            {
                File.Delete(path);
            }

            removed.Add(path);
        }

        return removed;
    }

    /// <summary>
    /// Puts the newest copy of <paramref name="livePath"/> back (companions with the same stamp too); the data now at
    /// the path moves to <c>PATH.rolled-back-TIME</c>. Returns a line saying what happened.
    /// </summary>
    public static string Rollback(string livePath, IReadOnlyList<string> companions, TimeProvider time)
    {
        var copies = Find(livePath);
        if (copies.Count == 0)
        {
            throw new UsageException($"{livePath} has no {Marker}* copy to roll back to");
        }

        var (copy, stamp) = copies[0];
        var aside = livePath + RolledBackMarker + Stamp(time);
        if (Exists(livePath))
        {
            LiveFs.Move(livePath, aside);
        }

        LiveFs.Move(copy, livePath);
        foreach (var companion in companions)
        {
            if (Exists(companion))
            {
                LiveFs.Move(companion, companion + RolledBackMarker + Stamp(time));
            }

            if (Exists(companion + Marker + stamp))
            {
                LiveFs.Move(companion + Marker + stamp, companion);
            }
        }

        return $"{livePath}: back to the copy of {stamp}" + (Exists(aside) ? $", the restored data moved to {aside}" : string.Empty);
    }

    public static bool Exists(string path) => File.Exists(path) || Directory.Exists(path) || new FileInfo(path).LinkTarget is not null;
}
