namespace Stackvault.Restore.Live;

/// <summary>Renames and copies for the swap: a rename never replaces an existing entry.</summary>
internal static class LiveFs
{
    /// <summary>rename(2) of a file, symlink or directory; fails when <paramref name="destination"/> exists.</summary>
    public static void Move(string source, string destination)
    {
        if (PreRestoreCopies.Exists(destination))
        {
            throw new IOException($"cannot move {source} to {destination}: it exists");
        }

        if (Directory.Exists(source) && new FileInfo(source).LinkTarget is null)
        {
            Directory.Move(source, destination);
        }
        else
        {
            File.Move(source, destination);
        }
    }

    /// <summary>Moves, or copies then deletes when <paramref name="destination"/> is on another filesystem.</summary>
    public static void MoveOrCopy(string source, string destination)
    {
        try
        {
            Move(source, destination);
        }
        catch (IOException) when (!PreRestoreCopies.Exists(destination))
        {
            Copy(source, destination);
            Delete(source);
        }
    }

    public static void Delete(string path)
    {
        if (Directory.Exists(path) && new FileInfo(path).LinkTarget is null)
        {
            Directory.Delete(path, recursive: true);
        }
        else if (PreRestoreCopies.Exists(path))
        {
            File.Delete(path);
        }
    }

    private static void Copy(string source, string destination)
    {
        if (!Directory.Exists(source))
        {
            File.Copy(source, destination);
            return;
        }

        Directory.CreateDirectory(destination);
        foreach (var entry in Directory.EnumerateFileSystemEntries(source))
        {
            Copy(entry, Path.Combine(destination, Path.GetFileName(entry)));
        }
    }
}
