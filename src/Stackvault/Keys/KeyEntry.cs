using Stackvault.Crypto;
using Stackvault.Storage;

namespace Stackvault.Keys;

/// <summary>One key file as <c>key list</c> shows it: its clear-text facts, or why they could not be read.</summary>
public sealed record KeyEntry(ObjectHandle Handle, KeyFileInfo? Info, bool IsCurrent, string? Error)
{
    public string Id => Handle.Name;

    public string ShortId => Handle.Name.Length > 8 ? Handle.Name[..8] : Handle.Name;

    /// <summary>A key whose file hashes to its name and parses; only such keys count as "another key" when removing one.</summary>
    public bool IsValid => Info is not null && Error is null;
}
