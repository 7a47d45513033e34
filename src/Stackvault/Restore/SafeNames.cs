using Stackvault.Errors;

namespace Stackvault.Restore;

/// <summary>
/// Checks names read from untrusted trees before they become paths: a name is one path component, never empty,
/// '.', '..', and never holds '/' or NUL. A tree with a bad or duplicate name stops a restore before anything is written, and an export before the entry is written.
/// </summary>
internal static class SafeNames
{
    /// <summary>Throws unless <paramref name="name"/> is one safe path component; <paramref name="operation"/> names the refusal ("restore", "export").</summary>
    public static void Check(string name, string where, string operation = "restore")
    {
        if (!IsSafe(name))
        {
            throw new StackvaultException($"refusing to {operation}: the snapshot holds an unsafe name '{name.Replace("\0", "\\0")}' in {where}");
        }
    }

    public static bool IsSafe(string name) => name.Length != 0 && name != "." && name != ".." && !name.Contains('/') && !name.Contains('\0');

    public static void CheckUnique(HashSet<string> seen, string name, string where, string operation = "restore")
    {
        if (!seen.Add(name))
        {
            throw new StackvaultException($"refusing to {operation}: the snapshot holds the name '{name}' twice in {where}");
        }
    }
}
