namespace Stackvault.Configuration;

/// <summary>
/// A named component instance. Each <c>type:</c> maps to one subclass with typed fields; every component may have
/// hooks.
/// </summary>
public abstract record ComponentConfig(string Name, HookSet Hooks, int Line)
{
    /// <summary>The <c>type:</c> value as written in YAML.</summary>
    public abstract string Type { get; }

    /// <summary><c>restore_hooks: { stop: [...], start: [...] }</c>: run around a live restore (Pre = stop, Post = start).</summary>
    public HookSet RestoreHooks { get; init; } = HookSet.None;
}
