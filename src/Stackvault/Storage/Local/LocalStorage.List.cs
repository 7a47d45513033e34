using System.Runtime.CompilerServices;

namespace Stackvault.Storage.Local;

/// <summary>Listing of <see cref="LocalStorage"/>: only well-formed object names, never <c>.tmp-*</c> files.</summary>
public sealed partial class LocalStorage
{
    private static readonly EnumerationOptions ListOptions = new()
    {
        AttributesToSkip = 0,
        IgnoreInaccessible = false,
        RecurseSubdirectories = false,
        ReturnSpecialDirectories = false,
    };

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

        var kindDirectory = Path.GetDirectoryName(PathOf(new ObjectHandle(kind, "00")))!;
        var directories = kind == ObjectKind.Pack ? PackDirectories(Path.GetDirectoryName(kindDirectory)!) : [kindDirectory];
        foreach (var directory in directories)
        {
            foreach (var info in ListDirectory(kind, directory))
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return info;
            }
        }
    }

    private static IEnumerable<string> PackDirectories(string data)
    {
        try
        {
            return Directory.GetDirectories(data).Where(d => Path.GetFileName(d) is { Length: 2 } n && IsObjectName(n)).Order(StringComparer.Ordinal).ToList();
        }
        catch (DirectoryNotFoundException)
        {
            return [];
        }
    }

    private static List<ObjectInfo> ListDirectory(ObjectKind kind, string directory)
    {
        var result = new List<ObjectInfo>();
        var prefix = kind == ObjectKind.Pack ? Path.GetFileName(directory) : string.Empty;
        try
        {
            foreach (var file in new DirectoryInfo(directory).EnumerateFiles("*", ListOptions))
            {
                var name = file.Name;
                if (!IsObjectName(name) || !name.StartsWith(prefix, StringComparison.Ordinal))
                {
                    continue; // .tmp-* files and anything else that is not an object
                }

                try
                {
                    result.Add(new ObjectInfo(new ObjectHandle(kind, name), file.Length));
                }
                catch (FileNotFoundException)
                {
                    // deleted while we listed
                }
            }
        }
        catch (DirectoryNotFoundException)
        {
            // no directory, no objects
        }

        return result;
    }
}
