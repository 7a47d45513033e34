namespace Stackvault.Configuration;

/// <summary>Reads <c>components:</c>: one typed record per <c>type:</c>.</summary>
internal static class ComponentMapper
{
    private static readonly Dictionary<string, string[]> KeysByType = new(StringComparer.Ordinal)
    {
        ["prometheus"] = ["url", "data_dir", "retention"],
        ["grafana"] = ["database", "config_file", "provisioning_dir", "plugins_dir", "url", "api_token", "api_token_file", "api_token_command"],
        ["loki"] = ["url", "data_dir", "flush"],
        ["tempo"] = ["url", "data_dir", "include_compacted"],
        ["postgres"] = ["dsn", "password", "password_file", "password_command", "databases"],
        ["files"] = ["paths", "exclude"],
        ["command"] = ["command", "filename", "timeout"],
        ["bucket"] = ["url", "layout", "tenants", "keep"],
        ["kubernetes"] = KubernetesMapper.Keys,
    };

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

            if (!KeysByType.TryGetValue(type, out var keys))
            {
                var suggestion = DidYouMean.Closest(type, KeysByType.Keys);
                var hint = suggestion is null ? $": use one of {string.Join(", ", KeysByType.Keys)}" : $" (did you mean '{suggestion}'?)";
                reader.Problem(ConfigReader.Child(path, "type"), entry["type"], "unknown component type" + hint);
                continue;
            }

            var map = reader.Mapping(entry, path, [.. keys, "type", "hooks", "restore_hooks"])!;
            var hooks = HookMapper.Read(reader, map["hooks"], ConfigReader.Child(path, "hooks"));
            var component = Read(reader, type, name, path, key.Line, map, hooks);
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

    private static ComponentConfig? Read(ConfigReader reader, string type, string name, string path, int line, YMapping map, HookSet hooks)
    {
        var prefix = "STACKVAULT_" + ConfigLoader.EnvironmentName(name);
        switch (type)
        {
            case "prometheus" or "loki" or "tempo":
                var url = reader.HttpUrl(map, path, "url", required: true);
                var dataDir = reader.AbsolutePath(map, path, "data_dir", required: true);
                return url is null || dataDir is null ? null
                    : type == "prometheus" ? new PrometheusComponent(name, hooks, line, url, dataDir) { Retention = reader.Duration(map, path, "retention") }
                    : type == "loki" ? new LokiComponent(name, hooks, line, url, dataDir) { Flush = LokiFlush(reader, map, path) }
                    : new TempoComponent(name, hooks, line, url, dataDir) { IncludeCompacted = reader.Bool(map, path, "include_compacted") ?? false };
            case "grafana":
                var database = reader.AbsolutePath(map, path, "database", required: true);
                var grafana = new GrafanaComponent(
                    name, hooks, line, database ?? string.Empty,
                    reader.AbsolutePath(map, path, "config_file"),
                    reader.AbsolutePath(map, path, "provisioning_dir"),
                    reader.AbsolutePath(map, path, "plugins_dir"),
                    reader.HttpUrl(map, path, "url"),
                    reader.Secret(map, path, "api_token", prefix));
                return database is null ? null : grafana;
            case "postgres":
                var dsn = reader.String(map, path, "dsn", required: true);
                if (dsn is not null && HasPassword(dsn))
                {
                    reader.Problem(ConfigReader.Child(path, "dsn"), map["dsn"], "must not contain a password: use password, password_file or password_command");
                    dsn = null;
                }

                var postgres = new PostgresComponent(name, hooks, line, dsn ?? string.Empty, reader.Secret(map, path, "password", prefix), reader.StringList(map, path, "databases"));
                return dsn is null ? null : postgres;
            case "files":
                return new FilesComponent(name, hooks, line, reader.AbsolutePaths(map, path, "paths", required: true), reader.StringList(map, path, "exclude"));
            case "command":
                var command = reader.Command(map, path, "command", required: true);
                var filename = reader.String(map, path, "filename", required: true);
                if (filename is not null && (filename.StartsWith('/') || filename.Split('/').Any(p => p is "" or "." or "..")))
                {
                    reader.Problem(ConfigReader.Child(path, "filename"), map["filename"], "must be a relative file name without '.', '..' or empty parts");
                    filename = null;
                }

                var timeout = reader.Duration(map, path, "timeout");
                return command is null || filename is null ? null : new CommandComponent(name, hooks, line, command, filename, timeout);
            case "bucket":
                var bucketUrl = reader.String(map, path, "url", required: true);
                if (bucketUrl is not null && !bucketUrl.StartsWith('/') && !(Uri.TryCreate(bucketUrl, UriKind.Absolute, out var uri) && uri.Scheme is "s3" or "gs" or "azure" && uri.UserInfo.Length == 0))
                {
                    reader.Problem(ConfigReader.Child(path, "url"), map["url"], "must be an absolute path or an s3://, gs:// or azure:// URL without credentials");
                    bucketUrl = null;
                }

                var layout = reader.String(map, path, "layout", required: true);
                if (layout is not null && !BucketComponent.Layouts.Contains(layout))
                {
                    reader.Problem(ConfigReader.Child(path, "layout"), map["layout"], $"unknown bucket layout: use one of {string.Join(", ", BucketComponent.Layouts)}");
                    layout = null;
                }

                var keep = reader.StringList(map, path, "keep");
                foreach (var kind in keep.Where(k => !BucketComponent.KeepKinds.Contains(k)))
                {
                    reader.Problem(ConfigReader.Child(path, "keep"), map["keep"], $"unknown keep '{kind}': use {string.Join(", ", BucketComponent.KeepKinds)}");
                }

                return bucketUrl is null || layout is null ? null : new BucketComponent(name, hooks, line, bucketUrl, layout) { Tenants = reader.StringList(map, path, "tenants"), Keep = keep };
            default:
                return KubernetesMapper.Read(reader, name, path, line, map, hooks);
        }
    }

    private static string LokiFlush(ConfigReader reader, YMapping map, string path)
    {
        var flush = reader.String(map, path, "flush") ?? LokiComponent.FlushRequired;
        if (flush is not (LokiComponent.FlushRequired or LokiComponent.FlushOptional))
        {
            reader.Problem(ConfigReader.Child(path, "flush"), map["flush"], $"must be {LokiComponent.FlushRequired} or {LokiComponent.FlushOptional}");
            return LokiComponent.FlushRequired;
        }

        return flush;
    }

    private static bool HasPassword(string dsn) =>
        dsn.Contains("password", StringComparison.OrdinalIgnoreCase)
        || (Uri.TryCreate(dsn, UriKind.Absolute, out var uri) && uri.UserInfo.Contains(':', StringComparison.Ordinal));
}
