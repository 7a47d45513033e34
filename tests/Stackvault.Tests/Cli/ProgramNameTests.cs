using Stackvault.Tests.Support;

namespace Stackvault.Tests.Cli;

/// <summary>The usage text names the program `stackvault`, not the assembly (`dotnet Stackvault.Cli.dll` runs it).</summary>
public class ProgramNameTests
{
    [Theory]
    [InlineData("--help")]
    [InlineData("run", "--help")]
    [InlineData("bucket", "backup", "--help")]
    [InlineData("k8s", "manifests", "--help")]
    public async Task Help_AnyCommand_UsageNamesStackvault(params string[] args)
    {
        using var temp = new TempDirectory();
        var result = await new CliRunner(temp.Sub("repo")).RunOkAsync(args);
        var expected = "stackvault " + string.Join(' ', args[..^1]);
        Assert.Contains("Usage:\n  " + expected.Trim() + " ", result.Stdout.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.DoesNotContain("Stackvault.Cli", result.Stdout + result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_Alone_PrintsVersionAndExits0()
    {
        using var temp = new TempDirectory();
        var result = await new CliRunner(temp.Sub("repo")).RunOkAsync("--version");
        Assert.Matches(@"^\d+\.\d+\.\d+", result.Stdout);
    }

    [Fact]
    public async Task Parse_UnknownCommand_Exits2AndPointsToStackvaultHelp()
    {
        using var temp = new TempDirectory();
        var result = await new CliRunner(temp.Sub("repo")).ExpectAsync(2, "no-such-command");
        Assert.Contains("'no-such-command'", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("see 'stackvault --help'", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Stackvault.Cli", result.Stderr, StringComparison.Ordinal);
    }
}
