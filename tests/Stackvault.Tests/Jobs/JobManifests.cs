using Stackvault.Repository.Model;
using Stackvault.Storage;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Jobs;

/// <summary>Reads snapshot manifests of a test repository through the library (password of <see cref="CliRunner"/>).</summary>
internal static class JobManifests
{
    public static async Task<IReadOnlyList<Snapshot>> AllAsync(string repositoryPath)
    {
        await using var repository = await Stackvault.Repository.Repository.OpenAsync(StorageFactory.Open(repositoryPath), "test-password", TimeProvider.System, CancellationToken.None);
        var all = await repository.ListSnapshotsAsync(CancellationToken.None);
        return [.. all.Select(s => s.Snapshot)];
    }

    public static ComponentSection Section(Snapshot snapshot, string name) =>
        Assert.Single(snapshot.Components!, c => c.Name == name);

    /// <summary>A config with one repository <c>main</c> at <paramref name="repositoryPath"/> plus the given YAML.</summary>
    public static string WriteConfig(TempDirectory temp, string repositoryPath, string componentsAndJobs)
    {
        var file = temp.Sub("stackvault.yaml");
        File.WriteAllText(file, $"""
            repositories:
              main: {"{"} url: {repositoryPath}, password: test-password {"}"}
            {componentsAndJobs}
            """);
        return file;
    }
}
