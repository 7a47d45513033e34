using System.Formats.Tar;
using System.Text;
using Stackvault.Compression;
using Stackvault.Errors;
using Stackvault.Filtering;
using Stackvault.Repository;
using Stackvault.Repository.Model;
using Stackvault.Restore;

namespace Stackvault.Export;

/// <summary>
/// Streams a snapshot as a POSIX PAX tar (optionally one zstd frame) while walking its trees: no staging, one blob in
/// memory at a time. Archive paths are the snapshot's absolute paths without the leading '/', built only from names
/// that pass <see cref="SafeNames"/>, so no entry is absolute or holds '..'. Hard links (nodes with links &gt; 1 and the
/// same device and inode) become link entries to the first exported path of the group. With include patterns, a
/// directory is written only when it is included itself or something below it is (its header is held back until then).
/// mtimes are written to 100 ns: System.Formats.Tar keeps DateTimeOffset ticks.
/// Hostile input (docs/design.md 15.4): device nodes and FIFOs are left out with a warning unless
/// <see cref="ExportOptions.SpecialFiles"/>; a symlink target holding NUL, a name or target that is not valid Unicode,
/// an owner or time a tar header cannot hold, trees deeper or more repetitive than <see cref="TreeExpansion"/> allows (measured before anything is written), and a
/// snapshot of which nothing is left to export are errors.
/// </summary>
public sealed partial class TarExporter(Repository.Repository repository, ExportOptions options)
{
    private readonly PathFilter _filter = new(options.Includes, options.Excludes);
    private readonly Dictionary<(long Device, long Inode), string> _firstOfInode = [];
    private readonly List<(string Path, Node Node)> _pendingDirectories = [];
    private readonly List<string> _warnings = [];
    private long _files;
    private long _directories;
    private long _hardLinks;
    private long _others;
    private long _bytes;

    /// <summary>Writes the archive to <paramref name="destination"/>. On failure nothing more is written: no end-of-archive blocks, no end of the zstd frame.</summary>
    public async ValueTask<ExportResult> ExportAsync(Snapshot snapshot, Stream destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var gate = new GateStream(destination);
        var zstd = options.Format == ExportFormat.TarZst ? new ZstdEncoderStream(gate, options.CompressionLevel, leaveOpen: true) : null;
        var writer = new TarWriter((Stream?)zstd ?? gate, TarEntryFormat.Pax, leaveOpen: true);
        try
        {
            var root = snapshot.Tree;
            await new TreeExpansion(repository).CheckAsync(root, cancellationToken).ConfigureAwait(false);
            if (options.Includes.Count + options.Excludes.Count == 0 && snapshot.Summary is { } summary)
            {
                options.Progress?.SetTotals(summary.TotalFilesProcessed, summary.TotalBytesProcessed);
            }

            await WalkAsync(root, string.Empty, "snapshot root", writer, cancellationToken).ConfigureAwait(false);
            if (_files + _directories + _hardLinks + _others == 0)
            {
                throw new StackvaultException(_warnings.Count == 0
                    ? "nothing to export: no entry of the snapshot is selected"
                    : $"nothing to export: all {_warnings.Count} entries selected were left out ({_warnings[0]}{(_warnings.Count > 1 ? ", ..." : string.Empty)})");
            }
        }
        catch
        {
            gate.Cut();
            throw;
        }
        finally
        {
            try
            {
                await writer.DisposeAsync().ConfigureAwait(false);
            }
            finally
            {
                if (zstd is not null)
                {
                    await zstd.DisposeAsync().ConfigureAwait(false);
                }
            }
        }

        await gate.FlushAsync(cancellationToken).ConfigureAwait(false);
        return new ExportResult(_files, _directories, _hardLinks, _others, _bytes, _warnings);
    }

    private async ValueTask WalkAsync(ObjectId treeId, string path, string where, TarWriter writer, CancellationToken cancellationToken)
    {
        var tree = await repository.LoadTreeAsync(treeId, cancellationToken).ConfigureAwait(false);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in tree.Nodes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            SafeNames.Check(node.Name, where, "export");
            SafeNames.CheckUnique(seen, node.Name, where, "export");
            CheckUnicode(node.Name, where, "name");
            var childPath = path + "/" + node.Name;
            if (_filter.IsExcluded(childPath))
            {
                continue;
            }

            if (node.Type == NodeType.Directory)
            {
                var included = _filter.IsIncluded(childPath);
                if (!included && !_filter.MayIncludeBelow(childPath))
                {
                    continue;
                }

                if (node.Subtree is not { } subtree)
                {
                    throw new StackvaultException($"directory {childPath} has no valid subtree id");
                }

                _pendingDirectories.Add((childPath, node));
                if (included)
                {
                    await FlushPendingAsync(writer, cancellationToken).ConfigureAwait(false);
                }

                await WalkAsync(subtree, childPath, childPath, writer, cancellationToken).ConfigureAwait(false);
                if (_pendingDirectories.Count > 0 && ReferenceEquals(_pendingDirectories[^1].Node, node))
                {
                    _pendingDirectories.RemoveAt(_pendingDirectories.Count - 1);
                }
            }
            else if (_filter.IsIncluded(childPath))
            {
                await FlushPendingAsync(writer, cancellationToken).ConfigureAwait(false);
                await WriteEntryAsync(writer, childPath, node, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async ValueTask FlushPendingAsync(TarWriter writer, CancellationToken cancellationToken)
    {
        foreach (var (path, node) in _pendingDirectories)
        {
            await WriteEntryAsync(writer, path, node, cancellationToken).ConfigureAwait(false);
        }

        _pendingDirectories.Clear();
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>A tar header holds UTF-8: a lone surrogate (valid JSON, not Unicode) would be replaced silently.</summary>
    private static void CheckUnicode(string text, string where, string what)
    {
        try
        {
            StrictUtf8.GetByteCount(text);
        }
        catch (EncoderFallbackException)
        {
            throw new StackvaultException($"{where}: {what} '{Escape(text)}' is not valid Unicode (a lone surrogate): export refused");
        }
    }

    /// <summary>Text for a one-line message: control characters and surrogates as \uXXXX.</summary>
    private static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            _ = char.IsControl(c) || char.IsSurrogate(c) ? builder.Append($"\\u{(int)c:x4}") : builder.Append(c);
        }

        return builder.ToString();
    }
}
