using Stackvault.Tests.Support;

namespace Stackvault.Tests.Keys;

/// <summary><c>key list|add|remove|passwd</c> through the real CLI.</summary>
public class KeyCommandTests
{
    [Fact]
    public async Task KeyAdd_SecondPassword_BothOpenAndRemovedOneExits12()
    {
        using var temp = new TempDirectory();
        var one = new CliRunner(temp.Sub("repo"), "password-one");
        await one.InitAsync();
        var source = temp.Sub("src");
        new TreeGenerator(5).File(Path.Combine(source, "a.txt"), 100);
        await one.RunOkAsync("backup", source);
        var newPasswordFile = temp.Sub("new-password");
        await File.WriteAllTextAsync(newPasswordFile, "password-two\n");
        var add = await one.RunOkAsync("key", "add", "--new-password-file", newPasswordFile, "--kdf-iterations", CliRunner.TestKdfIterations);
        Assert.DoesNotContain("password-two", add.Stdout + add.Stderr, StringComparison.Ordinal);

        var two = new CliRunner(temp.Sub("repo"), "password-two");
        Assert.Contains("1 snapshots", (await one.RunOkAsync("snapshots")).Stdout, StringComparison.Ordinal);
        Assert.Contains("1 snapshots", (await two.RunOkAsync("snapshots")).Stdout, StringComparison.Ordinal);

        var keysOfTwo = (await two.RunOkAsync("key", "list", "--json")).Json().GetProperty("keys").EnumerateArray().ToList();
        Assert.Equal(2, keysOfTwo.Count);
        var currentOfTwo = keysOfTwo.Single(k => k.GetProperty("current").GetBoolean());
        Assert.Equal(1000, currentOfTwo.GetProperty("iterations").GetInt32());
        Assert.Equal("pbkdf2-sha256", currentOfTwo.GetProperty("kdf").GetString());
        var idOfOne = keysOfTwo.Single(k => !k.GetProperty("current").GetBoolean()).GetProperty("id").GetString()!;
        Assert.Contains("* " + currentOfTwo.GetProperty("short_id").GetString(), (await two.RunOkAsync("key", "list")).Stdout, StringComparison.Ordinal);

        await two.RunOkAsync("key", "remove", idOfOne[..8]);
        await one.ExpectAsync(12, "snapshots");
        await two.RunOkAsync("snapshots");
    }

    [Fact]
    public async Task KeyRemove_LastKey_Exits1AndKeepsIt()
    {
        using var temp = new TempDirectory();
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        var id = Path.GetFileName(RepositoryFiles.Objects(temp.Sub("repo"), "keys").Single());
        var result = await cli.ExpectAsync(1, "key", "remove", id[..8]);
        Assert.Contains("last valid key", result.Stderr, StringComparison.Ordinal);
        Assert.Single(RepositoryFiles.Objects(temp.Sub("repo"), "keys"));
        await cli.RunOkAsync("snapshots");
    }

    [Fact]
    public async Task KeyRemove_CurrentKeyWithAnotherLeft_RemovesAndWarns()
    {
        using var temp = new TempDirectory();
        var cli = new CliRunner(temp.Sub("repo"), "one") { Environment = { ["STACKVAULT_NEW_PASSWORD"] = "two" } };
        await cli.InitAsync();
        var current = Path.GetFileName(RepositoryFiles.Objects(temp.Sub("repo"), "keys").Single());
        await cli.RunOkAsync("key", "add", "--kdf-iterations", CliRunner.TestKdfIterations);
        var result = await cli.RunOkAsync("key", "remove", current[..8]);
        Assert.Contains("was the key this password opened", result.Stderr, StringComparison.Ordinal);
        await cli.ExpectAsync(12, "snapshots");
        await new CliRunner(temp.Sub("repo"), "two").RunOkAsync("snapshots");
    }

    [Fact]
    public async Task KeyPasswd_RoundTrip_NewOpensOldDoesNotOneKeyLeft()
    {
        using var temp = new TempDirectory();
        var old = new CliRunner(temp.Sub("repo"), "old") { Environment = { ["STACKVAULT_NEW_PASSWORD"] = "new" } };
        await old.InitAsync();
        await old.RunOkAsync("key", "passwd", "--kdf-iterations", CliRunner.TestKdfIterations);
        await old.ExpectAsync(12, "snapshots");
        var renewed = new CliRunner(temp.Sub("repo"), "new") { Environment = { ["STACKVAULT_NEW_PASSWORD"] = "old" } };
        await renewed.RunOkAsync("snapshots");
        Assert.Single(RepositoryFiles.Objects(temp.Sub("repo"), "keys"));
        await renewed.RunOkAsync("key", "passwd", "--kdf-iterations", CliRunner.TestKdfIterations);
        await old.RunOkAsync("snapshots");
    }

    [Fact]
    public async Task Key_UnencryptedRepository_Exits1()
    {
        using var temp = new TempDirectory();
        var cli = new CliRunner(temp.Sub("repo"), null) { Environment = { ["STACKVAULT_NEW_PASSWORD"] = "x" } };
        await cli.InitAsync("--no-encryption");
        foreach (var args in new[] { new[] { "key", "list" }, ["key", "add"], ["key", "passwd"], ["key", "remove", "abcd"] })
        {
            Assert.Contains("this repository is not encrypted", (await cli.ExpectAsync(1, args)).Stderr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task KeyAdd_NoNewPassword_ExitsUsage()
    {
        using var temp = new TempDirectory();
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        await cli.ExpectAsync(2, "key", "add");
        Assert.Single(RepositoryFiles.Objects(temp.Sub("repo"), "keys"));
    }
}
