using System.Text.Json;
using Stackvault.Repository;
using Stackvault.Repository.Model;
using Stackvault.Storage;
using Stackvault.Tests.Components.Grafana;
using Stackvault.Tests.Jobs;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Drill;

/// <summary>
/// Drills of a Grafana database and files, no servers needed: damage in the repository is caught by the restore's hash
/// check and fails exactly the component whose data it hit; a database that no longer matches its recorded counts
/// fails the Grafana check.
/// </summary>
public sealed class DrillCorruptionTests
{
    private static async Task<(CliRunner Cli, string Config)> BackUpAsync(TempDirectory temp)
    {
        GrafanaSchema.CreateGrafana11(temp.Sub("grafana.db"));
        Directory.CreateDirectory(temp.Sub("etc"));
        File.WriteAllText(temp.Sub("etc/prometheus.yml"), "global: {}\n");
        var config = JobManifests.WriteConfig(temp, temp.Sub("repo"), $"""
            components:
              grafana: {"{"} type: grafana, database: {temp.Sub("grafana.db")} {"}"}
              etc: {"{"} type: files, paths: [{temp.Sub("etc")}] {"}"}
            jobs:
              dash: {"{"} repository: main, components: [grafana, etc] {"}"}
            """);
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        await cli.RunOkAsync("backup", "--job", "dash", "--config", config);
        return (cli, config);
    }

    [Fact]
    public async Task Drill_CorruptedBlobOfTheGrafanaDatabase_FailsGrafanaOnly_Exit1()
    {
        using var temp = new TempDirectory();
        var (cli, config) = await BackUpAsync(temp);
        await cli.ExpectAsync(0, "drill", "--job", "dash", "--config", config);

        await CorruptContentAsync(temp.Sub("repo"), "/grafana", "grafana.db");
        var result = await cli.ExpectAsync(1, "drill", "--job", "dash", "--config", config, "--json");

        using var json = JsonDocument.Parse(result.Json().GetRawText());
        Assert.Equal(["grafana"], json.RootElement.GetProperty("failed_components").EnumerateArray().Select(e => e.GetString()));
        var grafana = json.RootElement.GetProperty("components").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "grafana");
        Assert.StartsWith("restore failed:", grafana.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Drill_GrafanaCountsDifferFromTheManifest_FailsNamingTheTable()
    {
        using var temp = new TempDirectory();
        var (cli, config) = await BackUpAsync(temp);
        var original = Assert.Single(await JobManifests.AllAsync(temp.Sub("repo")));
        await using (var repository = await Stackvault.Repository.Repository.OpenAsync(StorageFactory.Open(temp.Sub("repo")), "test-password", TimeProvider.System, CancellationToken.None))
        {
            var copy = JsonSerializer.Deserialize<Snapshot>(JsonSerializer.Serialize(original))!;
            copy.Time = original.Time.AddSeconds(1);
            JobManifests.Section(copy, "grafana").Checks!["alert_rule"] = 4;
            await repository.SaveSnapshotAsync(copy, CancellationToken.None);
        }

        var result = await cli.ExpectAsync(1, "drill", "--job", "dash", "--config", config);

        Assert.Contains("grafana (grafana): alert_rule: restored 1, recorded at backup 4", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("ok     etc (files)", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Drill_NotEmptyScratch_UnknownJob_Exit2()
    {
        using var temp = new TempDirectory();
        var (cli, config) = await BackUpAsync(temp);
        Directory.CreateDirectory(temp.Sub("scratch"));
        File.WriteAllText(temp.Sub("scratch/keep.txt"), "mine");

        var busy = await cli.ExpectAsync(2, "drill", "--job", "dash", "--config", config, "--scratch", temp.Sub("scratch"));
        var unknown = await cli.ExpectAsync(2, "drill", "--job", "nope", "--config", config);

        Assert.Contains("not empty", busy.Stderr, StringComparison.Ordinal);
        Assert.Equal("mine", File.ReadAllText(temp.Sub("scratch/keep.txt")));
        Assert.Contains("no job named 'nope'", unknown.Stderr, StringComparison.Ordinal);
    }

    /// <summary>Flips a byte in the middle of the first content blob of <paramref name="file"/> in <paramref name="directory"/> of the latest snapshot.</summary>
    private static async Task CorruptContentAsync(string repositoryPath, string directory, string file)
    {
        await using var repository = await Stackvault.Repository.Repository.OpenAsync(StorageFactory.Open(repositoryPath), "test-password", TimeProvider.System, CancellationToken.None);
        await repository.LoadIndexAsync(CancellationToken.None);
        var (_, snapshot) = await repository.FindSnapshotAsync("latest", null, CancellationToken.None);
        var tree = await repository.LoadTreeAsync(snapshot.Tree, CancellationToken.None);
        foreach (var part in directory.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            tree = await repository.LoadTreeAsync(tree.Nodes.Single(n => n.Name == part).Subtree!.Value, CancellationToken.None);
        }

        var blob = tree.Nodes.Single(n => n.Name == file).Content![0];
        Assert.True(repository.Index.TryGet(blob, out var location));
        var pack = repository.Index.PackId(location.PackIndex).ToString();
        var path = RepositoryFiles.Objects(repositoryPath, "data").Single(p => Path.GetFileName(p) == pack);
        RepositoryFiles.FlipByte(path, location.Offset + (location.Length / 2));
    }
}
