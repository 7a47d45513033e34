namespace Stackvault.Configuration;

/// <summary>The hooks around a component or job: <c>pre</c> runs before it in order, <c>post</c> after it.</summary>
public sealed record HookSet(IReadOnlyList<HookConfig> Pre, IReadOnlyList<HookConfig> Post)
{
    public static readonly HookSet None = new([], []);

    public bool IsEmpty => Pre.Count == 0 && Post.Count == 0;
}
