namespace Stackvault.Filtering;

/// <summary>Include and exclude patterns together: a path passes when no exclude matches it and, if includes are given, one include matches it or lies below it.</summary>
public sealed class PathFilter
{
    private readonly PathPattern[] _includes;
    private readonly PathPattern[] _excludes;

    public PathFilter(IEnumerable<string>? includes, IEnumerable<string>? excludes)
    {
        _includes = [.. (includes ?? []).Select(p => new PathPattern(p))];
        _excludes = [.. (excludes ?? []).Select(p => new PathPattern(p))];
    }

    public static PathFilter None { get; } = new(null, null);

    public bool IsEmpty => _includes.Length == 0 && _excludes.Length == 0;

    public bool IsExcluded(string path) => _excludes.Any(p => p.Matches(path));

    /// <summary>For restore: the node is wanted itself (an include matches it or a parent).</summary>
    public bool IsIncluded(string path) => _includes.Length == 0 || _includes.Any(p => p.Matches(path));

    /// <summary>For restore: a directory must be walked when an include might match something below it.</summary>
    public bool MayIncludeBelow(string directory) =>
        _includes.Length == 0 || _includes.Any(p => !p.Text.StartsWith('/') || p.Text.Contains('*') || p.Text.TrimStart('/').StartsWith(directory.TrimStart('/') + "/", StringComparison.Ordinal) || p.Matches(directory));

    public bool Passes(string path) => !IsExcluded(path) && IsIncluded(path);
}
