using Stackvault.Configuration;

namespace Stackvault.Components;

/// <summary>
/// <c>config validate</c>'s look at this machine: each component's engine reports a layout it does not recognise (a
/// data directory missing, empty, or holding none of what the engine writes), naming what it expected, as a warning
/// "component NAME: ...". A config that is otherwise valid still validates (exit 0).
/// </summary>
public static class LayoutCheck
{
    public static IReadOnlyList<string> Warnings(StackvaultConfig config)
    {
        var warnings = new List<string>();
        foreach (var component in config.Components.Values)
        {
            try
            {
                warnings.AddRange(EngineCatalog.Of(component).Warnings(component).Select(w => $"component {component.Name}: {w}"));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                warnings.Add($"component {component.Name}: cannot look at its files: {e.Message}");
            }
        }

        return warnings;
    }
}
