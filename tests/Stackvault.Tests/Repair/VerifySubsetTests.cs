using Stackvault.Tests.Support;

namespace Stackvault.Tests.Repair;

/// <summary>Issue 18.4: `verify --read-data-subset n/t` says what it read, never a bare "no errors" after reading nothing.</summary>
public class VerifySubsetTests
{
    [Fact]
    public async Task EmptySubsetGroup_IsReportedAsEmpty_TheOthersSayWhatWasRead()
    {
        using var temp = new TempDirectory();
        var source = temp.Sub("src");
        new TreeGenerator(4).File(Path.Combine(source, "f.txt"), 20_000);
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        await cli.RunOkAsync("backup", source);
        Assert.Single(RepositoryFiles.Objects(cli.Repository, "data"));

        var empty = 0;
        var read = 0;
        for (var n = 1; n <= 7; n++)
        {
            var run = await cli.RunOkAsync("verify", "--read-data-subset", $"{n}/7");
            if (run.Stdout.Contains($"read 0 packs of subset {n}/7: this group is empty", StringComparison.Ordinal))
            {
                empty++;
            }
            else
            {
                Assert.Contains($"read 1 of 1 packs in subset {n}/7", run.Stdout, StringComparison.Ordinal);
                read++;
            }
        }

        Assert.Equal(6, empty);
        Assert.Equal(1, read);
        var json = (await cli.RunOkAsync("verify", "--read-data-subset", "1/1", "--json")).Json();
        Assert.Equal(1, json.GetProperty("packs_selected").GetInt32());
        Assert.Equal(1, json.GetProperty("packs_read").GetInt32());
    }
}
