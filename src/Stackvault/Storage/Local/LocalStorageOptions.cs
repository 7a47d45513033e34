using Stackvault.Errors;

namespace Stackvault.Storage.Local;

/// <summary>Options of a <see cref="LocalStorage"/>; <see cref="Validate"/> checks them and resolves the root.</summary>
public sealed record LocalStorageOptions
{
    public LocalStorageOptions(string root)
    {
        Root = root;
    }

    /// <summary>The repository directory; relative paths resolve against the current directory.</summary>
    public string Root { get; init; }

    /// <summary>
    /// fsync every written object and its directory before SaveAsync returns (default true). Only tests and
    /// benchmarks turn it off: without it a power loss can lose objects the index already refers to.
    /// </summary>
    public bool Fsync { get; init; } = true;

    /// <summary>
    /// Bytes of packs written, or read while not cached, after which this storage lets go of the packs it writes or
    /// reads (see <see cref="LocalStorage"/>); null: what the page cache takes without pressure
    /// (<see cref="Platform.PageCache.AbsorbableBytes"/>). Tests set 0.
    /// </summary>
    public long? LetGoOfPacksAfter { get; init; }

    /// <summary>Checks the options and returns the absolute, normalized root (without a trailing separator).</summary>
    /// <exception cref="StackvaultException">The root is empty, malformed or the filesystem root (exit code Usage).</exception>
    public string Validate()
    {
        if (string.IsNullOrWhiteSpace(Root))
        {
            throw new UsageException("the repository path is empty");
        }

        string full;
        try
        {
            full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(Root));
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new UsageException($"invalid repository path '{Root}': {e.Message}", e);
        }

        if (!Path.IsPathFullyQualified(full))
        {
            throw new UsageException($"the repository path '{Root}' does not resolve to an absolute path");
        }

        if (Path.GetPathRoot(full) == full)
        {
            throw new UsageException($"refusing to use the filesystem root '{full}' as a repository");
        }

        return full;
    }
}
