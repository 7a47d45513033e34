namespace Stackvault.Tests.Support;

/// <summary>Looks at a local repository's files directly, as an attacker or a failing disk would.</summary>
public static class RepositoryFiles
{
    public static string[] Objects(string repository, string kind) =>
        Directory.Exists(Path.Combine(repository, kind))
            ? [.. Directory.EnumerateFiles(Path.Combine(repository, kind), "*", SearchOption.AllDirectories).Where(f => !Path.GetFileName(f).StartsWith(".tmp", StringComparison.Ordinal)).Order(StringComparer.Ordinal)]
            : [];

    public static void FlipByte(string path, long offset)
    {
        File.SetUnixFileMode(path, (UnixFileMode)0x1A4);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        stream.Position = offset;
        var b = stream.ReadByte();
        stream.Position = offset;
        stream.WriteByte((byte)(b ^ 0x40));
    }

    public static void Truncate(string path, long length)
    {
        File.SetUnixFileMode(path, (UnixFileMode)0x1A4);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        stream.SetLength(length);
    }

    public static void CopyDirectory(string from, string to)
    {
        foreach (var dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        }

        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
        }
    }
}
