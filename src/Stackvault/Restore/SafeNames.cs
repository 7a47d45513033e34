using Stackvault.Errors;

namespace Stackvault.Restore;

/// <summary>
/// Checks names read from untrusted trees before they become paths: a name is one path component, never empty,
/// '.', '..', and never holds '/' or NUL. A tree with a bad or duplicate name stops the restore before anything is written.
/// </summary>
internal static class SafeNames
{
    public static void Check(string name, string where)
    {
        if (name.Length == 0 || name == "." || name == ".." || name.Contains('/') || name.Contains('\0'))
        {
            throw new StackvaultException($"refusing to restore: the snapshot holds an unsafe name '{name.Replace("\0", "\\0")}' in {where}");
        }
    }

    public static void CheckUnique(HashSet<string> seen, string name, string where)
    {
        if (!seen.Add(name))
        {
            throw new StackvaultException($"refusing to restore: the snapshot holds the name '{name}' twice in {where}");
        }
    }
}
