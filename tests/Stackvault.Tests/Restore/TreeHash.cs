using System.Security.Cryptography;
using System.Text;

namespace Stackvault.Tests.Restore;

/// <summary>A hash of a directory's relative paths and file contents, to show a tree is byte-identical.</summary>
internal static class TreeHash
{
    public static string Of(string root, Func<string, bool>? skip = null)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var path in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories)
            .Where(p => skip is null || !Path.GetRelativePath(root, p).Split('/').Any(skip))
            .Order(StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(Path.GetRelativePath(root, path) + "\n"));
            if (File.Exists(path))
            {
                hash.AppendData(File.ReadAllBytes(path));
            }
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }
}
