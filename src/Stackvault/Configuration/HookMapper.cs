namespace Stackvault.Configuration;

/// <summary>Reads <c>hooks: { pre: [...], post: [...] }</c> of a component or job.</summary>
internal static class HookMapper
{
    private static readonly string[] SetKeys = ["pre", "post"];
    private static readonly string[] Kinds = ["command", "http", "docker_stop", "docker_start", "docker_label_stop", "docker_label_start"];
    private static readonly string[] HookKeys = [.. Kinds, "timeout", "on_error", "method"];
    private static readonly string[] Methods = ["GET", "POST", "PUT", "DELETE", "HEAD", "PATCH"];

    public static HookSet Read(ConfigReader reader, YNode? node, string path)
    {
        var map = reader.Mapping(node, path, SetKeys);
        return map is null ? HookSet.None : new HookSet(List(reader, map, path, "pre"), List(reader, map, path, "post"));
    }

    /// <summary>Reads <c>restore_hooks: { stop: [...], start: [...] }</c> of a component: stop is Pre, start is Post.</summary>
    public static HookSet ReadRestore(ConfigReader reader, YNode? node, string path)
    {
        var map = reader.Mapping(node, path, ["stop", "start"]);
        return map is null ? HookSet.None : new HookSet(List(reader, map, path, "stop"), List(reader, map, path, "start"));
    }

    private static IReadOnlyList<HookConfig> List(ConfigReader reader, YMapping map, string path, string key)
    {
        var listPath = ConfigReader.Child(path, key);
        var node = map[key];
        if (node is null or YScalar { IsNull: true })
        {
            return [];
        }

        if (node is not YSequence sequence)
        {
            reader.Problem(listPath, node, "expected a list of hooks");
            return [];
        }

        var hooks = new List<HookConfig>();
        for (var i = 0; i < sequence.Items.Count; i++)
        {
            if (One(reader, sequence.Items[i], ConfigReader.Index(listPath, i)) is { } hook)
            {
                hooks.Add(hook);
            }
        }

        return hooks;
    }

    private static HookConfig? One(ConfigReader reader, YNode node, string path)
    {
        var map = reader.Mapping(node, path, HookKeys, "a hook mapping (command, http, docker_stop or docker_start)");
        if (map is null)
        {
            if (node is YScalar { IsNull: true })
            {
                reader.Problem(path, node, "expected a hook mapping (command, http, docker_stop or docker_start)");
            }

            return null;
        }

        var kinds = Kinds.Where(k => map[k] is not null).ToList();
        if (kinds.Count != 1)
        {
            reader.Problem(path, map, kinds.Count == 0 ? "a hook needs one of command, http, docker_stop, docker_start, docker_label_stop, docker_label_start" : $"a hook has only one of {string.Join(", ", kinds)}");
            return null;
        }

        var timeout = reader.Duration(map, path, "timeout");
        var onError = reader.String(map, path, "on_error");
        if (onError is not null and not "fail" and not "continue")
        {
            reader.Problem(ConfigReader.Child(path, "on_error"), map["on_error"], "expected fail or continue");
        }

        var proceed = onError == "continue";
        var method = reader.String(map, path, "method");
        if (method is not null && kinds[0] != "http")
        {
            reader.Problem(ConfigReader.Child(path, "method"), map["method"], "method belongs to an http hook");
        }
        else if (method is not null && !Methods.Contains(method))
        {
            reader.Problem(ConfigReader.Child(path, "method"), map["method"], $"expected one of {string.Join(", ", Methods)}");
        }

        switch (kinds[0])
        {
            case "command":
                return reader.Command(map, path, "command") is { } command ? new CommandHook(map.Line, timeout, proceed, command) : null;
            case "http":
                return reader.HttpUrl(map, path, "http") is { } url ? new HttpHook(map.Line, timeout, proceed, url, method ?? "POST") : null;
            case "docker_label_stop" or "docker_label_start":
                var group = reader.String(map, path, kinds[0], required: true);
                return group is null ? null : new DockerLabelHook(map.Line, timeout, proceed, kinds[0] == "docker_label_stop" ? DockerAction.Stop : DockerAction.Start, group);
            default:
                var containers = reader.StringList(map, path, kinds[0], required: true);
                return containers.Count == 0 ? null
                    : new DockerHook(map.Line, timeout, proceed, kinds[0] == "docker_stop" ? DockerAction.Stop : DockerAction.Start, containers);
        }
    }
}
