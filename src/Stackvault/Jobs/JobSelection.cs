using Stackvault.Components;
using Stackvault.Configuration;
using Stackvault.Errors;

namespace Stackvault.Jobs;

/// <summary>
/// What one <c>backup --job NAME [--component NAME]...</c> run covers: the job (null for components named without a
/// job), its components in configured order, the job's repository entry, and the tags of the snapshot.
/// </summary>
public sealed record JobSelection(JobConfig? Job, IReadOnlyList<ComponentConfig> Components, RepositoryConfigEntry? Repository, IReadOnlyList<string> Tags)
{
    /// <summary><c>--only config|data</c>: the class of items backed up (see <see cref="ItemClass"/>), null for all.</summary>
    public ItemClass? Only { get; init; }

    /// <summary>
    /// Resolves names, then keeps only the components that can hold items of class <paramref name="only"/> and tags
    /// the snapshot <c>only:config</c> or <c>only:data</c>; a selection left empty is a usage error.
    /// </summary>
    public static JobSelection Resolve(StackvaultConfig config, string? jobName, IReadOnlyList<string> componentNames, string? only)
    {
        var selection = Resolve(config, jobName, componentNames);
        if (only is null)
        {
            return selection;
        }

        var wanted = ItemClasses.Parse(only);
        var components = selection.Components.Where(c => ItemClasses.Holds(c.Type, wanted)).ToList();
        if (components.Count == 0)
        {
            throw new UsageException($"none of the selected components ({Names(selection.Components.Select(c => c.Name))}) holds {only} items");
        }

        return selection with { Components = components, Tags = [.. selection.Tags, "only:" + only], Only = wanted };
    }

    /// <summary>Resolves names against the config; an unknown job or component is a usage error (exit 2).</summary>
    public static JobSelection Resolve(StackvaultConfig config, string? jobName, IReadOnlyList<string> componentNames)
    {
        if (jobName is null && componentNames.Count == 0)
        {
            throw new UsageException("give --job NAME or --component NAME");
        }

        JobConfig? job = null;
        if (jobName is not null && !config.Jobs.TryGetValue(jobName, out job))
        {
            throw new UsageException($"no job named '{jobName}' in {config.SourceName}; jobs: {Names(config.Jobs.Keys)}");
        }

        foreach (var name in componentNames)
        {
            if (!config.Components.ContainsKey(name))
            {
                throw new UsageException($"no component named '{name}' in {config.SourceName}; components: {Names(config.Components.Keys)}");
            }

            if (job is not null && !job.Components.Contains(name))
            {
                throw new UsageException($"component '{name}' is not part of job '{job.Name}' ({Names(job.Components)})");
            }
        }

        var selected = componentNames.Count > 0 ? componentNames.Distinct().ToHashSet() : job!.Components.ToHashSet();
        var order = job?.Components ?? config.Components.Keys.ToList();
        var components = order.Where(selected.Contains).Select(name => config.Components[name]).ToList();
        var repository = job is null ? null : config.Repositories[job.Repository];
        IReadOnlyList<string> tags = job is null ? [] : ["job:" + job.Name, .. job.Tags];
        return new JobSelection(job, components, repository, tags);
    }

    private static string Names(IEnumerable<string> names)
    {
        var list = names.ToList();
        return list.Count == 0 ? "(none)" : string.Join(", ", list);
    }
}
