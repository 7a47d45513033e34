using Stackvault.Repository.Model;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Jobs;

/// <summary><c>backup --job</c> through the real CLI with files and command components: one snapshot, one section each.</summary>
public sealed class JobBackupCliTests
{
    private static string Components(string etc) => $"""
        components:
          etc1: {"{"} type: files, paths: [{etc}], exclude: ["*.log"] {"}"}
          cmd: {"{"} type: command, command: [printf, hello], filename: out.txt {"}"}
          bad: {"{"} type: command, command: [sh, -c, "echo oops >&2; exit 4"], filename: bad.txt {"}"}
        jobs:
          nightly: {"{"} repository: main, components: [etc1, cmd, bad], tags: [daily] {"}"}
        """;

    [Fact]
    public async Task Job_FilesAndCommands_OneSnapshot_FailingCommandMakesItPartial()
    {
        using var temp = new TempDirectory();
        var etc = temp.Sub("etc");
        Directory.CreateDirectory(Path.Combine(etc, "sub"));
        File.WriteAllText(Path.Combine(etc, "sub", "a.conf"), "a=1");
        File.WriteAllText(Path.Combine(etc, "top.log"), "left out");
        File.WriteAllText(Path.Combine(etc, "sub", "deep.log"), "left out");
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        var config = JobManifests.WriteConfig(temp, temp.Sub("repo"), Components(etc));

        var result = await cli.ExpectAsync(3, "backup", "--job", "nightly", "--config", config, "--json");

        var summary = result.Message("summary");
        var components = summary.GetProperty("components").EnumerateArray().ToList();
        Assert.Equal(["etc1", "cmd", "bad"], components.Select(c => c.GetProperty("name").GetString()));
        Assert.Equal(["complete", "complete", "failed"], components.Select(c => c.GetProperty("status").GetString()));
        Assert.Equal("sh exited with code 4: oops", components[2].GetProperty("error").GetString());

        var snapshot = Assert.Single(await JobManifests.AllAsync(temp.Sub("repo")));
        Assert.Equal(SnapshotStatus.Partial, snapshot.Status);
        Assert.Equal(["job:nightly", "daily"], snapshot.Tags);
        Assert.Equal("files", JobManifests.Section(snapshot, "etc1").Method);
        Assert.Equal("command-stdout", JobManifests.Section(snapshot, "cmd").Method);
        var bad = JobManifests.Section(snapshot, "bad");
        Assert.Equal((ComponentStatus.Failed, "sh exited with code 4: oops", "sh"), (bad.Status, bad.Error, bad.Source));

        await cli.RunOkAsync("restore", "latest", "--target", temp.Sub("out"));
        Assert.Equal("a=1", File.ReadAllText(temp.Sub("out") + "/etc1" + etc + "/sub/a.conf"));
        Assert.Equal("hello", File.ReadAllText(temp.Sub("out") + "/cmd/out.txt"));
        Assert.False(File.Exists(temp.Sub("out") + "/etc1" + etc + "/top.log"));
        Assert.False(File.Exists(temp.Sub("out") + "/etc1" + etc + "/sub/deep.log"));
    }

    [Fact]
    public async Task Component_WithoutJob_UsesTheRepositoryOption_AndIsComplete()
    {
        using var temp = new TempDirectory();
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        var config = JobManifests.WriteConfig(temp, temp.Sub("elsewhere"), Components(temp.Path));

        var result = await cli.ExpectAsync(0, "backup", "--component", "cmd", "--config", config, "--json");

        var component = Assert.Single(result.Message("summary").GetProperty("components").EnumerateArray());
        Assert.Equal("complete", component.GetProperty("status").GetString());
        var snapshot = Assert.Single(await JobManifests.AllAsync(temp.Sub("repo")));
        Assert.Equal(["/cmd/out.txt"], snapshot.Paths);
        Assert.Empty(snapshot.Tags);
    }

    [Theory]
    [InlineData("--job", "ghost")]
    [InlineData("--component", "ghost")]
    public async Task UnknownJobOrComponent_Exit2(string option, string name)
    {
        using var temp = new TempDirectory();
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        var config = JobManifests.WriteConfig(temp, temp.Sub("repo"), Components(temp.Path));

        var result = await cli.ExpectAsync(2, "backup", option, name, "--config", config);
        Assert.Contains("'ghost'", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PrepareFailure_IsAFailedSection_OthersStillSaved()
    {
        using var temp = new TempDirectory();
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        var config = JobManifests.WriteConfig(temp, temp.Sub("repo"), $"""
            components:
              gone: {"{"} type: files, paths: [{temp.Sub("missing")}] {"}"}
              cmd: {"{"} type: command, command: [printf, hello], filename: out.txt {"}"}
            jobs:
              j: {"{"} repository: main, components: [gone, cmd] {"}"}
            """);

        await cli.ExpectAsync(3, "backup", "--job", "j", "--config", config);

        var snapshot = Assert.Single(await JobManifests.AllAsync(temp.Sub("repo")));
        Assert.Equal(SnapshotStatus.Partial, snapshot.Status);
        var gone = JobManifests.Section(snapshot, "gone");
        Assert.Equal(ComponentStatus.Failed, gone.Status);
        Assert.Contains("no such file or directory", gone.Error, StringComparison.Ordinal);
        Assert.Equal(ComponentStatus.Complete, JobManifests.Section(snapshot, "cmd").Status);
    }
}
