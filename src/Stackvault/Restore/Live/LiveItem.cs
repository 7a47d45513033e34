namespace Stackvault.Restore.Live;

/// <summary>
/// One restorable item of a component: <paramref name="Relative"/> inside the component's snapshot directory
/// (empty for the whole directory) and the live path it replaces.
/// </summary>
public sealed record LiveItem(string Relative, string LivePath)
{
    /// <summary>The item's path in the snapshot, relative to the component's directory, with a leading slash (or empty).</summary>
    public string InComponent => Relative.Length == 0 ? string.Empty : "/" + Relative;
}
