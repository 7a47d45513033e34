using Stackvault.Jobs;
using Stackvault.Telemetry;
using Stackvault.Tests.Jobs;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Cli;

/// <summary>A job's <c>timeout:</c> cancels the run: exit 1, a failure in status.json naming the timeout, no lock, no snapshot.</summary>
public sealed class JobTimeoutTests
{
    [Fact]
    public async Task BackupJob_PastItsTimeout_FailsAndIsRecorded()
    {
        using var temp = new TempDirectory();
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        var config = JobManifests.WriteConfig(temp, temp.Sub("repo"), """
            components:
              slow: { type: command, command: [sleep, "600"], filename: x }
            jobs:
              j: { repository: main, components: [slow], timeout: 1s }
            """);

        var result = await cli.ExpectAsync(1, "backup", "--job", "j", "--config", config, "--state-dir", temp.Sub("state"));

        Assert.Contains("job j: timed out after 1s", result.Stderr, StringComparison.Ordinal);
        var run = new StatusStore(temp.Sub("state"), TimeProvider.System).Load().Jobs["j"].LastRun!;
        Assert.Equal((JobStatus.Failure, "job j: timed out after 1s"), (run.Status, run.Error));
        Assert.Empty(RepositoryFiles.Objects(temp.Sub("repo"), "locks"));
        Assert.Empty(await JobManifests.AllAsync(temp.Sub("repo")));
    }
}
