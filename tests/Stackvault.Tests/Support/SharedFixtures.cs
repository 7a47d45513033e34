namespace Stackvault.Tests.Support;

/// <summary>
/// The shared fixtures (a real Tempo block, real Loki logs), read in place and never copied into the repository:
/// <c>shared/fixtures</c> in the nearest directory above the repository root (<c>../shared</c> for the main checkout,
/// <c>../../shared</c> for a worktree under a sibling folder).
/// </summary>
public static class SharedFixtures
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        var root = Stackvault.Tests.Components.Tempo.TempoDataDir.RepositoryRoot();
        for (var dir = Directory.GetParent(root); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "fixtures");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"no shared/fixtures above {root}");
    }
}
