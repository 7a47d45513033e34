using Stackvault.Cli;
using Stackvault.Jobs;
using Stackvault.Telemetry;
using Stackvault.Tests.Jobs;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Cli;

/// <summary>
/// Durations as operators write and read them: <c>status</c> never drops days (an rpo of 26h is not 2:00:00),
/// every time option takes <c>1m</c> as well as seconds, <c>-n</c> is <c>--dry-run</c>, and one thing has one name.
/// </summary>
public sealed class DurationConventionTests
{
    [Theory]
    [InlineData(26 * 3600, "1d 2h")]
    [InlineData(8 * 86400, "8d")]
    [InlineData(2 * 86400 + 60, "2d 0h 1m")]
    [InlineData(2 * 86400 + 85, "2d 0h 1m")]
    [InlineData(3 * 3600 + 5, "3:00:05")]
    [InlineData(75, "1:15")]
    public void Units_Duration_KeepsTheDays(int seconds, string expected) =>
        Assert.Equal(expected, Stackvault.Cli.Output.Units.Duration(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public async Task Status_RpoOfDays_PrintsDaysNotTheRemainder()
    {
        using var temp = new TempDirectory();
        var config = JobManifests.WriteConfig(temp, temp.Sub("repo"), $$"""
            components:
              data: { type: files, paths: [{{temp.Sub("data")}}] }
            jobs:
              daily: { repository: main, components: [data], rpo: 26h }
              weekly: { repository: main, components: [data], rpo: 8d }
            """);
        var store = new StatusStore(temp.Sub("state"), TimeProvider.System);
        var now = DateTimeOffset.UtcNow;
        store.RecordRun(new JobOutcome("daily", "main", JobStatus.Success, now.AddDays(-2).AddSeconds(-85), 1, "id", 1, 1, [], null));
        store.RecordRun(new JobOutcome("weekly", "main", JobStatus.Success, now.AddHours(-1), 1, "id", 1, 1, [], null));
        var cli = new CliRunner(temp.Sub("repo"));

        var result = await cli.ExpectAsync(4, "status", "--config", config, "--state-dir", temp.Sub("state"));

        var lines = result.Stdout.Split('\n');
        Assert.Matches(@"^daily\s+\S+ \S+\s+2d 0h 1m\s+1d 2h\s+breached", lines.Single(l => l.StartsWith("daily ", StringComparison.Ordinal)));
        Assert.Matches(@"^weekly\s+\S+ \S+\s+1:00:0\d\s+8d\s+ok", lines.Single(l => l.StartsWith("weekly ", StringComparison.Ordinal)));

        var weekly = await cli.ExpectAsync(0, "status", "--job", "weekly", "--config", config, "--state-dir", temp.Sub("state"), "--json");
        Assert.Equal("weekly", Assert.Single(weekly.Json().GetProperty("jobs").EnumerateArray()).GetProperty("job").GetString());
        await cli.ExpectAsync(2, "status", "--job", "nope", "--config", config, "--state-dir", temp.Sub("state"));
    }

    [Fact]
    public async Task RetryLock_TakesADuration_AndPlainSeconds_AndRejectsNonsense()
    {
        using var temp = new TempDirectory();
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();

        await cli.RunOkAsync("snapshots", "--retry-lock", "1m");
        await cli.RunOkAsync("snapshots", "--retry-lock", "90");
        await cli.RunOkAsync("snapshots", "--retry-lock", "1h30m");
        var bad = await cli.ExpectAsync(2, "snapshots", "--retry-lock", "1x");
        Assert.Contains("--retry-lock: '1x' is not a duration", bad.Stderr, StringComparison.Ordinal);
        await cli.ExpectAsync(2, "run", "--shutdown-grace", "soon");
    }

    [Fact]
    public void Options_DryRunHasN_PgJobsOneName_TimeOptionsParseDurations()
    {
        foreach (var args in new[] { new[] { "forget", "--keep-last", "1", "-n" }, ["prune", "-n"], ["restore", "latest", "--target", "/tmp/x", "-n"], ["bucket", "restore", "latest", "--target", "s3://b", "-n"], ["k8s", "prune-snapshots", "--job", "j", "-n"] })
        {
            var parse = Program.BuildRoot().Parse(args);
            Assert.True(parse.Errors.Count == 0, $"{string.Join(' ', args)}: {string.Join("; ", parse.Errors.Select(e => e.Message))}");
        }

        Assert.Empty(Program.BuildRoot().Parse(["pg-restore", "d.dump", "--component", "pg", "--target-database", "db", "--pg-jobs", "4"]).Errors);
        Assert.Empty(Program.BuildRoot().Parse(["pg-restore", "d.dump", "--component", "pg", "--target-database", "db", "--jobs", "4"]).Errors); // the old name, hidden
        var pgRestore = Program.BuildRoot().Subcommands.Single(c => c.Name == "pg-restore");
        Assert.Contains(pgRestore.Options, o => o.Name == "--pg-jobs" && !o.Hidden);
        Assert.Contains(pgRestore.Options, o => o.Name == "--jobs" && o.Hidden);
        Assert.Empty(Program.BuildRoot().Parse(["run", "--shutdown-grace", "2m"]).Errors);
        Assert.Equal(TimeSpan.FromMinutes(2), Program.BuildRoot().Parse(["run", "--shutdown-grace", "2m"]).GetValue<TimeSpan>("--shutdown-grace"));
        Assert.Equal(TimeSpan.FromSeconds(45), Program.BuildRoot().Parse(["snapshots", "--retry-lock", "45"]).GetValue<TimeSpan>("--retry-lock"));
    }
}
