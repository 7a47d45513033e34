using Stackvault.Crypto;
using Stackvault.Errors;
using Stackvault.Keys;
using Stackvault.Storage.Local;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Keys;

/// <summary>Engine-level key tests: the order of storage operations that makes a password change crash-safe.</summary>
public class KeyManagerTests
{
    private static readonly KeyFileOptions FastKeys = new() { Iterations = 1000 };

    [Fact]
    public async Task ChangePassword_Always_SavesAndChecksTheNewKeyBeforeDeletingTheOld()
    {
        using var temp = new TempDirectory();
        var cli = new CliRunner(temp.Sub("repo"), "old-password");
        await cli.InitAsync();
        var recording = new RecordingStorage(new LocalStorage(new LocalStorageOptions(temp.Sub("repo"))));
        await using (var repository = await Stackvault.Repository.Repository.OpenAsync(recording, "old-password", TimeProvider.System, CancellationToken.None))
        {
            var old = repository.KeyHandle!.Value;
            var (added, removed) = await new KeyManager(repository).ChangePasswordAsync("new-password", FastKeys, CancellationToken.None);
            Assert.Equal(old, removed.Handle);
            Assert.Equal(["save " + added.RelativePath, "delete " + old.RelativePath], recording.Operations);
        }

        Assert.Single(RepositoryFiles.Objects(temp.Sub("repo"), "keys"));
        await new CliRunner(temp.Sub("repo"), "new-password").RunOkAsync("snapshots");
        await new CliRunner(temp.Sub("repo"), "old-password").ExpectAsync(12, "snapshots");
    }

    [Fact]
    public async Task ChangePassword_CrashBeforeDelete_BothPasswordsStillOpen()
    {
        using var temp = new TempDirectory();
        var cli = new CliRunner(temp.Sub("repo"), "old-password");
        await cli.InitAsync();
        var recording = new RecordingStorage(new LocalStorage(new LocalStorageOptions(temp.Sub("repo")))) { FailDeletes = true };
        await using (var repository = await Stackvault.Repository.Repository.OpenAsync(recording, "old-password", TimeProvider.System, CancellationToken.None))
        {
            await Assert.ThrowsAsync<IOException>(async () => await new KeyManager(repository).ChangePasswordAsync("new-password", FastKeys, CancellationToken.None));
        }

        Assert.Equal(2, RepositoryFiles.Objects(temp.Sub("repo"), "keys").Length);
        await new CliRunner(temp.Sub("repo"), "new-password").RunOkAsync("snapshots");
        await new CliRunner(temp.Sub("repo"), "old-password").RunOkAsync("snapshots");
    }

    [Fact]
    public async Task Remove_OnlyOtherKeyIsCorrupt_RefusesToRemoveTheLastValidKey()
    {
        using var temp = new TempDirectory();
        var cli = new CliRunner(temp.Sub("repo"), "one");
        await cli.InitAsync();
        var other = new CliRunner(temp.Sub("repo"), "one") { Environment = { ["STACKVAULT_NEW_PASSWORD"] = "two" } };
        await other.RunOkAsync("key", "add", "--kdf-iterations", CliRunner.TestKdfIterations);
        await using var repository = await Stackvault.Repository.Repository.OpenAsync(new LocalStorage(new LocalStorageOptions(temp.Sub("repo"))), "one", TimeProvider.System, CancellationToken.None);
        var otherKey = RepositoryFiles.Objects(temp.Sub("repo"), "keys").Single(p => Path.GetFileName(p) != repository.KeyHandle!.Value.Name);
        RepositoryFiles.FlipByte(otherKey, 10);

        var error = await Assert.ThrowsAnyAsync<StackvaultException>(async () => await new KeyManager(repository).RemoveAsync(repository.KeyHandle!.Value.Name[..8], CancellationToken.None));
        Assert.Contains("last valid key", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, RepositoryFiles.Objects(temp.Sub("repo"), "keys").Length);
    }
}
