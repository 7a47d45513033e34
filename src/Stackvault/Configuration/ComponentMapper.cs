using Stackvault.Components;

namespace Stackvault.Configuration;

/// <summary>Reads <c>components:</c>: each section by the engine of its <c>type:</c> (<see cref="EngineCatalog"/>).</summary>
internal static class ComponentMapper
{
    public static IReadOnlyDictionary<string, ComponentConfig> ReadAll(ConfigReader reader, YNode? node)
    {
        var result = new Dictionary<string, ComponentConfig>(StringComparer.Ordinal);
        foreach (var (name, path, key, entry) in NamedSection.Entries(reader, node, "components"))
        {
            var type = reader.String(entry, path, "type", required: true);
            if (type is null)
            {
                continue;
            }

            if (EngineCatalog.Find(type) is not { } engine)
            {
                var suggestion = DidYouMean.Closest(type, EngineCatalog.Types.ToList());
                var hint = suggestion is null ? $": use one of {string.Join(", ", EngineCatalog.Types)}" : $" (did you mean '{suggestion}'?)";
                reader.Problem(ConfigReader.Child(path, "type"), entry["type"], "unknown component type" + hint);
                continue;
            }

            var map = reader.Mapping(entry, path, [.. engine.Keys, "type", "hooks", "restore_hooks"])!;
            var hooks = HookMapper.Read(reader, map["hooks"], ConfigReader.Child(path, "hooks"));
            var component = engine.Read(new EngineSection(reader, name, path, key.Line, map, hooks));
            if (component is not null)
            {
                if (map["restore_hooks"] is { } restoreHooks)
                {
                    component = component with { RestoreHooks = HookMapper.ReadRestore(reader, restoreHooks, ConfigReader.Child(path, "restore_hooks")) };
                }

                result[name] = component;
            }
        }

        return result;
    }
}
