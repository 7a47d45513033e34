using System.Security.Cryptography;
using Stackvault.Platform;

namespace Stackvault.Tests.Support;

/// <summary>Compares two trees entry by entry: type, mode, mtime (ns), owner, size, content hash, link target, hard links.</summary>
public static class TreeComparer
{
    /// <summary>Differences; <paramref name="mtimeResolutionNs"/> compares mtimes truncated to that many ns (1: exact).</summary>
    public static List<string> Differences(string expectedRoot, string actualRoot, bool compareDirMtime = true, long mtimeResolutionNs = 1)
    {
        var expected = Describe(expectedRoot, compareDirMtime, mtimeResolutionNs);
        var actual = Describe(actualRoot, compareDirMtime, mtimeResolutionNs);
        var differences = new List<string>();
        foreach (var (path, description) in expected)
        {
            if (!actual.TryGetValue(path, out var other))
            {
                differences.Add($"missing: {path}");
            }
            else if (other != description)
            {
                differences.Add($"differs: {path}\n  expected {description}\n  actual   {other}");
            }
        }

        differences.AddRange(actual.Keys.Except(expected.Keys).Select(p => $"unexpected: {p}"));
        differences.AddRange(HardLinkDifferences(expectedRoot, actualRoot));
        return differences;
    }

    public static void AssertSame(string expectedRoot, string actualRoot, bool compareDirMtime = true, long mtimeResolutionNs = 1)
    {
        var differences = Differences(expectedRoot, actualRoot, compareDirMtime, mtimeResolutionNs);
        Assert.True(differences.Count == 0, string.Join('\n', differences.Take(20)));
    }

    private static SortedDictionary<string, string> Describe(string root, bool compareDirMtime, long mtimeResolutionNs)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFileSystemEntries(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            var relative = Path.GetRelativePath(root, path);
            var st = Posix.LStat(path);
            var type = st.Mode & 0xF000;
            var mtime = type == 0x4000 && !compareDirMtime ? 0 : st.MTimeNs - (st.MTimeNs % mtimeResolutionNs);
            var text = $"type={type:x} mode={Convert.ToString(st.Mode & 0xFFF, 8)} uid={st.Uid} gid={st.Gid} mtime={mtime}";
            if (type == 0x8000)
            {
                text += $" size={st.Size} sha={Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)))[..16]}";
            }
            else if (type == 0xA000)
            {
                text += $" target={new FileInfo(path).LinkTarget}";
            }

            result[relative] = text;
        }

        return result;
    }

    private static IEnumerable<string> HardLinkDifferences(string expectedRoot, string actualRoot)
    {
        var groups = Directory.EnumerateFiles(expectedRoot, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Where(p => new FileInfo(p).LinkTarget is null)
            .Select(p => (Path: Path.GetRelativePath(expectedRoot, p), St: Posix.LStat(p)))
            .Where(x => x.St.Links > 1)
            .GroupBy(x => x.St.Inode);
        foreach (var group in groups)
        {
            var inodes = group.Select(x => Posix.LStat(Path.Combine(actualRoot, x.Path)).Inode).Distinct().Count();
            if (inodes != 1)
            {
                yield return $"hard links not preserved: {string.Join(", ", group.Select(x => x.Path))}";
            }
        }
    }
}
