namespace Stackvault.Configuration;

/// <summary>
/// The effective configuration as a plain tree (ordered dictionaries, lists, strings, numbers) for <c>config show</c>,
/// in the YAML schema's own key names. Secrets appear only as <c>*** (source)</c>, e.g. <c>*** (file /etc/pw)</c>.
/// </summary>
public static class ConfigDocument
{
    public static Dictionary<string, object?> ToTree(StackvaultConfig config) => WithFailsafe(config, NotificationDocument.AddTo(config, new()
    {
        ["version"] = 1,
        ["repositories"] = config.Repositories.Values.ToDictionary(r => r.Name, r => (object?)Compact(new()
        {
            ["url"] = R(r.Url),
            ["retention"] = Retention(r.Retention),
            ["password"] = Secret(r.Password),
        })),
        ["components"] = config.Components.Values.ToDictionary(c => c.Name, c => (object?)Component(c)),
        ["jobs"] = config.Jobs.Values.ToDictionary(j => j.Name, j => (object?)Job(j)),
    }));

    private static Dictionary<string, object?> WithFailsafe(StackvaultConfig config, Dictionary<string, object?> tree)
    {
        if (config.Failsafe is { } failsafe)
        {
            tree["failsafe"] = failsafe.OtlpEndpoint is { } otlp
                ? new Dictionary<string, object?> { ["path"] = failsafe.Path, ["otlp"] = new Dictionary<string, object?> { ["endpoint"] = otlp.ToString() } }
                : new Dictionary<string, object?> { ["path"] = failsafe.Path };
        }

        return tree;
    }

    /// <summary>The effective configuration as YAML, secrets redacted.</summary>
    public static string ToYaml(StackvaultConfig config) =>
        YamlTreeWriter.Serialize(ToTree(config), YamlTreeWriter.Config);

    public static string Secret(SecretValue? secret) => secret is null ? string.Empty : $"*** ({secret.Source})";

    private static Dictionary<string, object?> Component(ComponentConfig component)
    {
        var tree = new Dictionary<string, object?> { ["type"] = component.Type };
        foreach (var (key, value) in Components.EngineCatalog.Of(component).Shown(component))
        {
            tree[key] = value;
        }

        tree["hooks"] = Hooks(component.Hooks);
        return Compact(tree);
    }

    private static Dictionary<string, object?> Job(JobConfig job) => Compact(new()
    {
        ["repository"] = job.Repository,
        ["components"] = job.Components,
        ["tags"] = job.Tags,
        ["schedule"] = job.Schedule?.Expression,
        ["time_zone"] = job.Schedule?.TimeZone,
        ["jitter"] = Duration(job.Jitter),
        ["timeout"] = Duration(job.Timeout),
        ["retention"] = Retention(job.Retention),
        ["copy_to"] = job.CopyTo,
        ["rpo"] = Duration(job.Rpo),
        ["rto"] = job.Rto == RtoTargets.Default ? null : Compact(new()
        {
            ["config"] = Duration(job.Rto.Config),
            ["data"] = Duration(job.Rto.Data),
            ["total"] = Duration(job.Rto.Total),
        }),
        ["verify"] = Check(job.Verify),
        ["drill"] = Check(job.Drill),
        ["hooks"] = Hooks(job.Hooks),
    });

    private static Dictionary<string, object?>? Retention(RetentionConfig? r) => r is null ? null : Compact(new()
    {
        ["keep_last"] = r.KeepLast,
        ["keep_hourly"] = r.KeepHourly,
        ["keep_daily"] = r.KeepDaily,
        ["keep_weekly"] = r.KeepWeekly,
        ["keep_monthly"] = r.KeepMonthly,
        ["keep_yearly"] = r.KeepYearly,
        ["keep_within"] = Duration(r.KeepWithin),
    });

    private static Dictionary<string, object?>? Check(CheckConfig? check) => check is null ? null : Compact(new()
    {
        ["schedule"] = check.Schedule.Expression,
        ["read_data_subset"] = check.ReadDataSubset,
        ["timeout"] = Duration(check.Timeout),
    });

    private static Dictionary<string, object?>? Hooks(HookSet hooks) => hooks.IsEmpty ? null : Compact(new()
    {
        ["pre"] = hooks.Pre.Select(Hook).ToList(),
        ["post"] = hooks.Post.Select(Hook).ToList(),
    });

    private static Dictionary<string, object?> Hook(HookConfig hook)
    {
        var tree = hook switch
        {
            CommandHook c => new Dictionary<string, object?> { ["command"] = Command(c.Command) },
            HttpHook h => new Dictionary<string, object?> { ["http"] = R(h.Url.OriginalString), ["method"] = h.Method },
            DockerHook d => new Dictionary<string, object?> { [d.Action == DockerAction.Stop ? "docker_stop" : "docker_start"] = d.Containers },
            DockerLabelHook l => new Dictionary<string, object?> { [l.Action == DockerAction.Stop ? "docker_label_stop" : "docker_label_start"] = l.Group },
            _ => [],
        };
        tree["timeout"] = Duration(hook.Timeout);
        tree["on_error"] = hook.ContinueOnError ? "continue" : null;
        return Compact(tree);
    }

    internal static object Command(CommandSpec command) => command.Shell ? R(command.Display)! : ConfigRedaction.All(command.Arguments);

    private static string? R(string? text) => ConfigRedaction.Text(text);

    internal static string? Duration(TimeSpan? duration) => duration is { } d ? DurationFormat.Format(d) : null;

    /// <summary>Leaves out unset keys, empty strings and empty lists.</summary>
    private static Dictionary<string, object?> Compact(Dictionary<string, object?> tree) =>
        tree.Where(e => e.Value is not (null or "") && e.Value is not System.Collections.ICollection { Count: 0 }).ToDictionary(e => e.Key, e => e.Value);
}
