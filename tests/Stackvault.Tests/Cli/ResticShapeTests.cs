using System.Text.Json;
using Stackvault.Tests.Jobs;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Cli;

/// <summary>
/// Scripts written for restic read Stackvault's JSON: <c>snapshots --json</c> is a bare array with restic's snapshot
/// fields, backup and restore end with restic-shaped <c>summary</c> records, and no <c>-1</c> placeholders appear.
/// </summary>
public sealed class ResticShapeTests
{
    [Fact]
    public async Task SnapshotsJson_IsABareArrayOfResticSnapshots_SummariesAreResticShaped()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.Sub("data"));
        File.WriteAllText(temp.Sub("data/a.txt"), "hello");
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();

        var backup = await cli.RunOkAsync("backup", temp.Sub("data"), "--tag", "nightly", "--json");
        var summary = backup.Message("summary");
        foreach (var field in new[] { "files_new", "files_changed", "files_unmodified", "dirs_new", "data_blobs", "tree_blobs", "data_added", "total_files_processed", "total_bytes_processed", "total_duration", "backup_start", "backup_end", "snapshot_id" })
        {
            Assert.True(summary.TryGetProperty(field, out _), $"backup summary lacks {field}: {summary}");
        }

        Assert.DoesNotContain("-1,", backup.Stdout.Replace(" ", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("-1}", backup.Stdout.Replace(" ", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);

        var list = (await cli.RunOkAsync("snapshots", "--json")).Json();
        Assert.Equal(JsonValueKind.Array, list.ValueKind);
        var snapshot = Assert.Single(list.EnumerateArray());
        foreach (var field in new[] { "time", "tree", "paths", "hostname", "username", "tags", "program_version", "summary", "id", "short_id" })
        {
            Assert.True(snapshot.TryGetProperty(field, out _), $"snapshot lacks {field}: {snapshot}");
        }

        Assert.Equal(summary.GetProperty("snapshot_id").GetString(), snapshot.GetProperty("id").GetString());
        Assert.Equal(["nightly"], snapshot.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(1, snapshot.GetProperty("summary").GetProperty("total_files_processed").GetInt32());

        var restore = await cli.RunOkAsync("restore", "latest", "--target", temp.Sub("out"), "--json");
        var restored = restore.Message("summary");
        Assert.Equal(1, restored.GetProperty("total_files").GetInt32());
        Assert.Equal(1, restored.GetProperty("files_restored").GetInt32());
        Assert.Equal(5, restored.GetProperty("bytes_restored").GetInt64());
        Assert.True(restored.TryGetProperty("seconds_elapsed", out _));
    }

    [Fact]
    public async Task RestoreComponentIntoTarget_WithConfig_TakesTheRepositoryOfTheComponentsJob()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.Sub("data"));
        File.WriteAllText(temp.Sub("data/a.txt"), "a");
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        var config = JobManifests.WriteConfig(temp, temp.Sub("repo"), $$"""
            components:
              data: { type: files, paths: [{{temp.Sub("data")}}] }
            jobs:
              nightly: { repository: main, components: [data] }
            """);
        await cli.RunOkAsync("backup", "--job", "nightly", "--config", config, "-q");
        cli.Environment["STACKVAULT_REPOSITORY"] = null; // no --repo, no environment: only the config names the repository
        cli.Environment["STACKVAULT_PASSWORD"] = null;

        await cli.RunOkAsync("restore", "latest", "--component", "data", "--target", temp.Sub("out"), "--config", config);

        Assert.Equal("a", File.ReadAllText(Directory.EnumerateFiles(temp.Sub("out"), "a.txt", SearchOption.AllDirectories).Single()));
    }
}
