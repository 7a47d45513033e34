using Stackvault.Configuration;

namespace Stackvault.Components;

/// <summary>
/// One <c>components.&lt;name&gt;</c> section being read: the reader that records problems, the component's name, its
/// path in the file (for messages), its line, its keys, its hooks and the prefix of its environment variables
/// (<c>STACKVAULT_&lt;NAME&gt;</c>).
/// </summary>
internal sealed record EngineSection(ConfigReader Reader, string Name, string Path, int Line, YMapping Map, HookSet Hooks)
{
    public string EnvironmentPrefix => "STACKVAULT_" + ConfigLoader.EnvironmentName(Name);

    /// <summary>Records a problem at <paramref name="key"/> of this section.</summary>
    public void Problem(string key, string message) => Reader.Problem(ConfigReader.Child(Path, key), Map[key], message);
}
