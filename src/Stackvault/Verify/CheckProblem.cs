namespace Stackvault.Verify;

/// <summary>One problem verify found: the object, what is wrong, and the snapshots that need the object.</summary>
public sealed record CheckProblem(string Object, string Message)
{
    public List<string> Snapshots { get; } = [];
}
