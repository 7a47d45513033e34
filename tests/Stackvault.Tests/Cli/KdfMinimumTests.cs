using Stackvault.Tests.Support;

namespace Stackvault.Tests.Cli;

/// <summary>Issue 14 item 13: a key weaker than 100000 PBKDF2 iterations is refused outside test suites.</summary>
public class KdfMinimumTests
{
    [Fact]
    public async Task Init_WeakKdfWithoutTheTestEscape_IsRefusedWithExit2AndWritesNothing()
    {
        using var temp = new TempDirectory();
        var cli = new CliRunner(temp.Sub("repo"));
        cli.Environment[CliRunner.WeakKdfVariable] = null;

        var result = await cli.ExpectAsync(2, "init", "--kdf-iterations", CliRunner.TestKdfIterations);

        Assert.Contains("--kdf-iterations 1000 is below the minimum of 100000", result.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(temp.Sub("repo")), "nothing may be written for a refused init");
    }

    [Fact]
    public async Task Init_AtTheMinimum_IsAccepted_AndKeyAddBelowItIsRefused()
    {
        using var temp = new TempDirectory();
        var cli = new CliRunner(temp.Sub("repo"));
        cli.Environment[CliRunner.WeakKdfVariable] = null;
        await cli.RunOkAsync("init", "--kdf-iterations", "100000");
        cli.Environment["STACKVAULT_NEW_PASSWORD"] = "another password";

        var add = await cli.ExpectAsync(2, "key", "add", "--kdf-iterations", "99999");

        Assert.Contains("below the minimum of 100000", add.Stderr, StringComparison.Ordinal);
        Assert.Single(Directory.EnumerateFiles(Path.Combine(temp.Sub("repo"), "keys")));
    }

    [Fact]
    public async Task Init_WeakKdfWithTheTestEscape_IsAccepted()
    {
        using var temp = new TempDirectory();
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        Assert.Single(Directory.EnumerateFiles(Path.Combine(temp.Sub("repo"), "keys")));
    }
}
