using Stackvault.Tests.Support;

namespace Stackvault.Tests.Cli;

/// <summary>Invariant 1: the repository is the only source of truth; local state may vanish between any two commands.</summary>
public class CacheIndependenceTests
{
    [Fact]
    public async Task Commands_CacheAndHomeDeletedBetweenEach_AllStillWork()
    {
        using var temp = new TempDirectory();
        var source = temp.Sub("src");
        new TreeGenerator(41).Awkward(source);
        var home = temp.Sub("home");
        var cli = new CliRunner(temp.Sub("repo"));
        cli.Environment["HOME"] = home;
        cli.Environment["XDG_CACHE_HOME"] = Path.Combine(home, ".cache");
        cli.Environment["TMPDIR"] = temp.Sub("tmp");

        string[][] commands =
        [
            ["init", "--kdf-iterations", CliRunner.TestKdfIterations],
            ["backup", source],
            ["backup", source],
            ["snapshots"],
            ["show", "latest"],
            ["verify", "--read-data"],
            ["restore", "latest", "--target", temp.Sub("restore")],
        ];
        foreach (var command in commands)
        {
            Directory.CreateDirectory(home);
            Directory.CreateDirectory(temp.Sub("tmp"));
            await cli.RunOkAsync(command);
            Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(home, "*", SearchOption.AllDirectories), p => !p.Contains(".dotnet", StringComparison.Ordinal));
            Directory.Delete(home, recursive: true);
            Directory.Delete(temp.Sub("tmp"), recursive: true);
        }

        TreeComparer.AssertSame(source, temp.Sub("restore") + source);
    }
}
