using System.Security.Cryptography;
using Stackvault.Errors;

namespace Stackvault.Buckets;

/// <summary>
/// A directory used as a bucket (Loki's and Tempo's filesystem backends): files are objects, their relative paths the
/// keys; the ETag is the MD5 of the content, as S3 gives for a single PUT, computed only when asked for by a restore.
/// Listing reports no ETag, so change detection falls back to the size and the modification time.
/// </summary>
/// <param name="root">The directory.</param>
/// <param name="mayBeAbsent">True for a restore target: an absent directory lists as empty (and is created by writes).</param>
public sealed class DirectoryBucketStore(string root, bool mayBeAbsent = false) : IBucketStore
{
    private readonly string _root = Path.GetFullPath(root).TrimEnd('/');

    public string Location => _root;

    public async IAsyncEnumerable<BucketObject> ListAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!Directory.Exists(_root) && mayBeAbsent)
        {
            yield break;
        }

        if (!Directory.Exists(_root))
        {
            throw new LocationNotFoundException($"{_root}: no such directory");
        }

        var files = Directory.EnumerateFiles(_root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false })
            .Select(f => Path.GetRelativePath(_root, f)).Order(StringComparer.Ordinal);
        foreach (var key in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var info = new FileInfo(Path.Combine(_root, key));
            if (info.LinkTarget is not null)
            {
                continue;
            }

            yield return new BucketObject(key, info.Length, info.LastWriteTimeUtc, "mtime-" + info.LastWriteTimeUtc.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await Task.CompletedTask.ConfigureAwait(false);
        }
    }

    public ValueTask<Stream> OpenReadAsync(string key, CancellationToken cancellationToken) =>
        ValueTask.FromResult<Stream>(new FileStream(PathOf(key), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 0, FileOptions.SequentialScan));

    public async ValueTask<bool> SameContentAsync(BucketObject present, Func<CancellationToken, ValueTask<Stream>> open, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(present);
        ArgumentNullException.ThrowIfNull(open);
        var file = await OpenReadAsync(present.Key, cancellationToken).ConfigureAwait(false);
        await using (file.ConfigureAwait(false))
        {
            var content = await open(cancellationToken).ConfigureAwait(false);
            await using (content.ConfigureAwait(false))
            {
                var mine = await MD5.HashDataAsync(file, cancellationToken).ConfigureAwait(false);
                var theirs = await MD5.HashDataAsync(content, cancellationToken).ConfigureAwait(false);
                return mine.AsSpan().SequenceEqual(theirs);
            }
        }
    }

    /// <summary>Copies the content into a temporary file beside the key, hashing it on the way, then renames it over the key.</summary>
    public async ValueTask<string?> PutAsync(string key, Func<CancellationToken, ValueTask<Stream>> open, long length, string? sourceEtag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(open);
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".stackvault-tmp";
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var content = await open(cancellationToken).ConfigureAwait(false);
        await using (content.ConfigureAwait(false))
        {
            var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None);
            await using (file.ConfigureAwait(false))
            {
                var buffer = new byte[1 << 16];
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    md5.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }

                await file.FlushAsync(cancellationToken).ConfigureAwait(false);
                file.Flush(flushToDisk: true);
            }
        }

        File.Move(temporary, path, overwrite: true);
        return Convert.ToHexStringLower(md5.GetHashAndReset());
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private string PathOf(string key)
    {
        if (key.Split('/').Any(p => p.Length == 0 || p is "." or ".."))
        {
            throw new StackvaultException($"object key '{key}' cannot be a path below {_root}");
        }

        return Path.Combine(_root, key);
    }
}
