using Stackvault.Backup;
using Stackvault.Configuration;

namespace Stackvault.Components.Files;

/// <summary>
/// <c>type: files</c>: each path stored at <c>/&lt;name&gt;/&lt;path without its leading '/'&gt;</c>. Its exclude patterns
/// apply below its own paths only: an absolute pattern as it is, a relative one at any depth under each path.
/// </summary>
public sealed class FilesAdapter : IComponentAdapter
{
    public string Type => FilesComponent.TypeName;

    public ValueTask<ComponentPlan> PrepareAsync(ComponentConfig component, string scratchDirectory, CancellationToken cancellationToken)
    {
        var files = (FilesComponent)component;
        var sources = new List<BackupSource>();
        foreach (var path in files.Paths)
        {
            if (!File.Exists(path) && !Directory.Exists(path) && new FileInfo(path).LinkTarget is null)
            {
                throw new IOException($"{path}: no such file or directory");
            }

            sources.Add(BackupSource.At(ComponentPlan.PathIn(component, path), path));
        }

        var section = ComponentPlan.NewSection(component, "files", string.Join(", ", files.Paths));
        return ValueTask.FromResult(new ComponentPlan(sources, section) { Excludes = Scoped(files) });
    }

    private static List<string> Scoped(FilesComponent files)
    {
        var scoped = new List<string>();
        foreach (var pattern in files.Exclude)
        {
            if (pattern.StartsWith('/'))
            {
                scoped.Add(pattern);
                continue;
            }

            foreach (var path in files.Paths)
            {
                var root = Path.GetFullPath(path).TrimEnd('/');
                scoped.Add(root + "/" + pattern);
                scoped.Add(root + "/**/" + pattern);
            }
        }

        return scoped;
    }
}
