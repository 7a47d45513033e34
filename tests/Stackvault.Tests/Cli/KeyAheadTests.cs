using Stackvault.Cli;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Cli;

/// <summary>
/// The key derivation started from the raw arguments (<see cref="KeyAhead"/>): which command lines it guesses a
/// repository for, and that the guess changes nothing the command does.
/// </summary>
public class KeyAheadTests
{
    private static readonly Func<string, string?> RepoInEnvironment = name => name == "STACKVAULT_REPOSITORY" ? "/srv/repo" : null;
    private static readonly Func<string, string?> NoEnvironment = _ => null;

    [Theory]
    [InlineData("backup /data", "/srv/repo", null)]
    [InlineData("-q backup /data", "/srv/repo", null)]
    [InlineData("snapshots --json", "/srv/repo", null)]
    [InlineData("restore latest --target /t", "/srv/repo", null)]
    [InlineData("-r /other --password-file /pw backup /data", "/other", "/pw")]
    [InlineData("backup /data --repo=/other --password-file:/pw", "/other", "/pw")]
    [InlineData("--retry-lock 5m --log-format json verify", "/srv/repo", null)]
    [InlineData("backup /data -r local:/x", "local:/x", null)]
    [InlineData("bucket restore latest --target s3:http://127.0.0.1:9000/b --concurrency 8", "/srv/repo", null)]
    [InlineData("bucket backup --source s3:http://127.0.0.1:9000/b --layout mimir -r /other", "/other", null)]
    public void Guess_CommandThatOpensALocalRepository_NamesIt(string line, string location, string? passwordFile)
    {
        Assert.Equal((location, passwordFile), KeyAhead.Guess(line.Split(' '), RepoInEnvironment));
    }

    [Theory]
    [InlineData("init")]
    [InlineData("--version")]
    [InlineData("backup --help")]
    [InlineData("backup --job nightly")]
    [InlineData("backup --component=prometheus -r /x")]
    [InlineData("k8s manifests")]
    [InlineData("config check")]
    [InlineData("-r backup init")]
    [InlineData("backup /data -r s3://bucket/prefix")]
    [InlineData("snapshots -r azure://container")]
    [InlineData("@args.rsp")]
    [InlineData("bucket verify --source s3:http://127.0.0.1:9000/b --layout mimir")]
    [InlineData("bucket")]
    public void Guess_OtherCommandLines_GuessNothing(string line)
    {
        Assert.Null(KeyAhead.Guess(line.Split(' '), RepoInEnvironment));
    }

    [Fact]
    public void Guess_NoRepositoryGiven_GuessesNothing()
    {
        Assert.Null(KeyAhead.Guess(["backup", "/data"], NoEnvironment));
    }

    [Fact]
    public async Task Snapshots_PasswordCommand_RunsOnce_AndOpens()
    {
        using var temp = new TempDirectory();
        var repository = temp.Sub("repo");
        await new CliRunner(repository, "s3cret").InitAsync();
        var runs = temp.Sub("runs");
        var cli = new CliRunner(repository, null);
        cli.Environment["STACKVAULT_PASSWORD_COMMAND"] = $"echo run >> '{runs}'; printf s3cret";

        await cli.RunOkAsync("snapshots");

        Assert.Equal(["run"], await File.ReadAllLinesAsync(runs));
    }
}
