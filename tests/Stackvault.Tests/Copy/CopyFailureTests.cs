using System.Diagnostics;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Copy;

/// <summary>Bad input and hostile cases: wrong passwords, the same repository twice, config names, and a reader written from the spec.</summary>
public class CopyFailureTests
{
    [Fact]
    public async Task Copy_WrongSourcePassword_Exits12AndWritesNothing()
    {
        using var temp = new TempDirectory();
        var source = temp.Sub("src");
        new TreeGenerator(31).File(Path.Combine(source, "a"), 200_000);
        var pair = new CopyPair(temp);
        await pair.InitAsync();
        await pair.Source.RunOkAsync("backup", source);
        pair.Destination.Environment["STACKVAULT_FROM_PASSWORD"] = "not-the-password";

        var result = await pair.Destination.ExpectAsync(12, "copy", "--from-repo", pair.Source.Repository);

        Assert.Contains("password", result.Stderr, StringComparison.OrdinalIgnoreCase);
        foreach (var kind in new[] { "data", "index", "snapshots", "locks" })
        {
            Assert.Empty(RepositoryFiles.Objects(pair.Destination.Repository, kind));
        }

        Assert.Empty(RepositoryFiles.Objects(pair.Source.Repository, "locks"));
    }

    [Fact]
    public async Task Copy_WrongDestinationPasswordOrNoSource_ExitCodesAndNothingWritten()
    {
        using var temp = new TempDirectory();
        var pair = new CopyPair(temp);
        await pair.InitAsync();
        var wrong = new CliRunner(pair.Destination.Repository, "wrong");
        wrong.Environment["STACKVAULT_FROM_PASSWORD"] = "source-password";

        await wrong.ExpectAsync(12, "copy", "--from-repo", pair.Source.Repository);
        await pair.Destination.ExpectAsync(10, "copy", "--from-repo", temp.Sub("nothing-here"));
        await pair.Destination.ExpectAsync(2, "copy");

        Assert.Empty(RepositoryFiles.Objects(pair.Destination.Repository, "locks"));
        Assert.Empty(RepositoryFiles.Objects(pair.Source.Repository, "locks"));
    }

    [Fact]
    public async Task Copy_DestinationExclusivelyLocked_Exits11AndWritesNothing()
    {
        using var temp = new TempDirectory();
        var source = temp.Sub("src");
        new TreeGenerator(34).File(Path.Combine(source, "a"), 100_000);
        var pair = new CopyPair(temp);
        await pair.InitAsync();
        await pair.Source.RunOkAsync("backup", source);
        var locks = new Stackvault.Locking.LockManager(Stackvault.Storage.StorageFactory.Open(pair.Destination.Repository), new Stackvault.Locking.LockOptions(), TimeProvider.System);
        await using (await locks.AcquireAsync(Stackvault.Locking.LockKind.Exclusive, "prune", CancellationToken.None))
        {
            await pair.Destination.ExpectAsync(11, "copy", "--from-repo", pair.Source.Repository);
        }

        Assert.Empty(RepositoryFiles.Objects(pair.Destination.Repository, "data"));
        Assert.Empty(RepositoryFiles.Objects(pair.Destination.Repository, "snapshots"));
        Assert.Empty(RepositoryFiles.Objects(pair.Source.Repository, "locks"));
    }

    [Fact]
    public async Task Copy_SameRepositoryTwice_IsUsageError()
    {
        using var temp = new TempDirectory();
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        cli.Environment["STACKVAULT_FROM_PASSWORD"] = "test-password";

        var result = await cli.ExpectAsync(2, "copy", "--from-repo", cli.Repository);

        Assert.Contains("same repository", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Copy_ConfiguredRepositoriesByName_CopiesWithTheirPasswords()
    {
        using var temp = new TempDirectory();
        var source = temp.Sub("src");
        new TreeGenerator(32).File(Path.Combine(source, "a"), 100_000);
        var pair = new CopyPair(temp);
        await pair.InitAsync();
        await pair.Source.RunOkAsync("backup", source);
        var config = temp.Sub("stackvault.yaml");
        File.WriteAllText(config, $"""
            repositories:
              hot: {"{"} url: {pair.Source.Repository}, password: source-password {"}"}
              cold: {"{"} url: {pair.Destination.Repository}, password: destination-password {"}"}
            """);
        var anonymous = new CliRunner("/nonexistent-unused", null);

        var copy = (await anonymous.RunOkAsync("copy", "--config", config, "--from", "hot", "--to", "cold", "--json")).Json();
        await anonymous.ExpectAsync(2, "copy", "--config", config, "--from", "hot", "--to", "colt");

        Assert.Equal(1, copy.GetProperty("snapshots_copied").GetInt32());
        Assert.Single(await CopyPair.SnapshotsAsync(pair.Destination));
    }

    [Fact]
    public async Task RecoverPy_CopiedSnapshot_RestoresIgnoringTheOriginalField()
    {
        using var temp = new TempDirectory();
        var source = temp.Sub("src");
        var generator = new TreeGenerator(33);
        generator.File(Path.Combine(source, "a.bin"), 1_500_000, compressible: false);
        generator.File(Path.Combine(source, "d", "b.txt"), 20_000);
        var pair = new CopyPair(temp);
        await pair.InitAsync();
        await pair.Source.RunOkAsync("backup", source);
        await pair.CopyAsync();
        var passwordFile = temp.Sub("password");
        File.WriteAllText(passwordFile, "destination-password\n");
        var target = temp.Sub("recovered");

        var start = new ProcessStartInfo("python3") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { Path.Combine(S3rverFixture.RepositoryRoot, "tools", "recover.py"), "--repo", pair.Destination.Repository, "--snapshot", "latest", "--target", target, "--password-file", passwordFile })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, await stderr);
        TreeComparer.AssertSame(source, target + source, compareDirMtime: false);
    }
}
