using System.Runtime.CompilerServices;
using Stackvault.Storage.Local;

namespace Stackvault.Storage.S3;

/// <summary>Listing of <see cref="S3Storage"/>: ListObjectsV2 pages of one kind's prefix, only well-formed names.</summary>
public sealed partial class S3Storage
{
    public async IAsyncEnumerable<ObjectInfo> ListAsync(ObjectKind kind, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (kind == ObjectKind.Config)
        {
            if (await StatAsync(ObjectHandle.Config, cancellationToken).ConfigureAwait(false) is { } size)
            {
                yield return new ObjectInfo(ObjectHandle.Config, size);
            }

            yield break;
        }

        var relative = new ObjectHandle(kind, "00").RelativePath;
        var prefix = _options.Location.KeyOf(relative[..(relative.IndexOf('/', StringComparison.Ordinal) + 1)]);
        await foreach (var item in _transport.ListAsync(prefix, cancellationToken).ConfigureAwait(false))
        {
            if (NameOf(kind, item.Key[prefix.Length..]) is { } name)
            {
                yield return new ObjectInfo(new ObjectHandle(kind, name), item.Size ?? 0);
            }
        }
    }

    /// <summary>The object name of a key below the kind's prefix, or null for anything that is not an object.</summary>
    internal static string? NameOf(ObjectKind kind, string rest)
    {
        if (kind == ObjectKind.Pack)
        {
            // data/xx/xx...: the two-character directory must be the name's first two characters
            return rest.Length > 3 && rest[2] == '/' && rest[3..] is var name && LocalStorage.IsObjectName(name)
                && name.StartsWith(rest[..2], StringComparison.Ordinal) ? name : null;
        }

        return LocalStorage.IsObjectName(rest) ? rest : null;
    }
}
