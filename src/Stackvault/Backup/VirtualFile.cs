namespace Stackvault.Backup;

/// <summary>
/// A file of a virtual directory source (an object of a bucket): where it goes, what the source says about it, and how
/// to read it. <see cref="Open"/> is called only when the file must be read (it is new or changed).
/// </summary>
/// <param name="RelativePath">Path below the source's snapshot path, '/'-separated, without empty, '.' or '..' parts.</param>
/// <param name="Size">The size the source reports; a stream of another length makes the file unreadable (partial).</param>
/// <param name="Modified">Recorded as the file's mtime.</param>
/// <param name="Etag">The source's content tag; with the size, equal to the parent's means unchanged.</param>
/// <param name="Open">Opens the content for reading.</param>
public sealed record VirtualFile(string RelativePath, long Size, DateTimeOffset Modified, string? Etag, Func<CancellationToken, ValueTask<Stream>> Open);
