namespace Stackvault.Configuration;

/// <summary>
/// <c>type: bucket</c>: an object-storage bucket of a known layout (<c>mimir</c>, <c>thanos</c>, <c>cortex</c>,
/// <c>loki</c>, <c>tempo</c>). Behaviour comes in a later issue; the config is accepted and checked now.
/// </summary>
public sealed record BucketComponent(string Name, HookSet Hooks, int Line, string Url, string Layout)
    : ComponentConfig(Name, Hooks, Line)
{
    public static readonly IReadOnlyList<string> Layouts = ["mimir", "thanos", "cortex", "loki", "tempo"];

    public override string Type => "bucket";
}
