using Stackvault.Errors;

namespace Stackvault.Components.Prometheus;

/// <summary>
/// The order in which the files of one TSDB block are written back on restore: every other file first (ordinal order,
/// so chunks/ before index before tombstones), meta.json last. Prometheus (like Thanos and Mimir) takes a block
/// without meta.json as partial and ignores it, so a restore interrupted at any point never shows a half block.
/// </summary>
public static class BlockRestoreOrder
{
    public const string MetaFile = "meta.json";

    /// <summary>
    /// Orders <paramref name="relativePaths"/> (paths inside the block directory, '/'-separated, such as
    /// <c>chunks/000001</c>). Throws when meta.json is absent, or a path is empty, absolute, contains '.', '..' or
    /// '\' segments, or appears twice.
    /// </summary>
    public static IReadOnlyList<string> Order(IEnumerable<string> relativePaths)
    {
        ArgumentNullException.ThrowIfNull(relativePaths);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var files = new List<string>();
        var hasMeta = false;
        foreach (var path in relativePaths)
        {
            Check(path);
            if (!seen.Add(path))
            {
                throw new StackvaultException($"TSDB block file '{path}' is listed twice");
            }

            if (path == MetaFile)
            {
                hasMeta = true;
            }
            else
            {
                files.Add(path);
            }
        }

        if (!hasMeta)
        {
            throw new StackvaultException("TSDB block has no meta.json: it is a partial block and cannot be restored as a block");
        }

        files.Sort(StringComparer.Ordinal);
        files.Add(MetaFile);
        return files;
    }

    private static void Check(string path)
    {
        if (string.IsNullOrEmpty(path) || path[0] == '/' || path.Contains('\\', StringComparison.Ordinal) || path.Contains('\0', StringComparison.Ordinal)
            || path.Split('/').Any(segment => segment is "" or "." or ".."))
        {
            throw new StackvaultException($"TSDB block file path '{PrometheusResponse.OneLine(path ?? "")}' is not a plain relative path");
        }
    }
}
