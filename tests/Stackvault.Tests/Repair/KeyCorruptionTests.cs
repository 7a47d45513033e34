using Stackvault.Tests.Support;

namespace Stackvault.Tests.Repair;

/// <summary>Issue 14.7: a corrupted key file is named as corrupt (not "wrong password", not an internal error), and the other keys are tried.</summary>
public class KeyCorruptionTests
{
    [Fact]
    public async Task CorruptKeyFile_IsNamed_AndAnotherKeyStillOpens()
    {
        using var temp = new TempDirectory();
        var one = new CliRunner(temp.Sub("repo"), "one") { Environment = { ["STACKVAULT_NEW_PASSWORD"] = "two" } };
        await one.InitAsync();
        var keys = (await one.RunOkAsync("key", "list", "--json")).Json().GetProperty("keys");
        var first = keys.EnumerateArray().Single().GetProperty("id").GetString()!;
        await one.RunOkAsync("key", "add", "--kdf-iterations", CliRunner.TestKdfIterations);
        var keyPath = Path.Combine(one.Repository, "keys", first);
        RepositoryFiles.FlipByte(keyPath, new FileInfo(keyPath).Length - 30);

        var broken = await one.ExpectAsync(1, "snapshots");
        Assert.Contains($"key file keys/{first} is corrupt", broken.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong password", broken.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", broken.Stderr, StringComparison.Ordinal);

        var two = new CliRunner(one.Repository, "two");
        var opened = await two.RunOkAsync("snapshots");
        Assert.Contains($"key file keys/{first} is corrupt", opened.Stderr, StringComparison.Ordinal);

        // Garbage that is not even JSON is a corrupt key file too.
        await File.WriteAllTextAsync(keyPath, "{\"version\":1,");
        var garbage = await one.ExpectAsync(1, "snapshots");
        Assert.Contains("is corrupt", garbage.Stderr, StringComparison.Ordinal);
        var wrong = await new CliRunner(one.Repository, "three").RunAsync("snapshots");
        Assert.Equal(1, wrong.ExitCode);
    }
}
