using Stackvault.Tests.Jobs;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Restore;

/// <summary>An --include that matches nothing restores nothing, and says so instead of a silent "0 files".</summary>
public sealed class RestoreIncludeTests
{
    [Fact]
    public async Task ComponentInclude_MatchingNothing_Warns_MatchingInsideTheComponent_RestoresWithoutWarning()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.Sub("live/a"));
        File.WriteAllText(temp.Sub("live/a/one.txt"), "one\n");
        var config = JobManifests.WriteConfig(temp, temp.Sub("repo"), $$"""
            components:
              etc: { type: files, paths: [{{temp.Sub("live/a")}}] }
            jobs:
              j: { repository: main, components: [etc] }
            """);
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        await cli.ExpectAsync(0, "backup", "--job", "j", "--config", config);

        var wrong = await cli.ExpectAsync(0, "restore", "latest", "--component", "etc", "--target", temp.Sub("out1"), "--include", "/etc/**");
        var right = await cli.ExpectAsync(0, "restore", "latest", "--component", "etc", "--target", temp.Sub("out2"), "--include", temp.Sub("live/a") + "/**");

        Assert.Contains("--include matched nothing", wrong.Stderr, StringComparison.Ordinal);
        Assert.Contains("paths inside the component", wrong.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("matched nothing", right.Stderr, StringComparison.Ordinal);
        Assert.Equal("one\n", File.ReadAllText(Path.Combine(temp.Sub("out2"), temp.Sub("live/a/one.txt").TrimStart('/'))));
    }
}
