namespace Stackvault.Deploy.Kubernetes;

/// <summary>One generated Kubernetes object and the file it is written to in <c>--output DIR</c>.</summary>
public sealed record GeneratedObject(string FileName, Dictionary<string, object?> Body)
{
    public string Kind => (string)Body["kind"]!;

    public string Name => (string)((Dictionary<string, object?>)Body["metadata"]!)["name"]!;
}
