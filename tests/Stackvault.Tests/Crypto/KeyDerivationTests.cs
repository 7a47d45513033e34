using Stackvault.Crypto;
using Stackvault.Errors;
using Stackvault.Repository;
using Stackvault.Storage.Local;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Crypto;

/// <summary>
/// Key derivations run ahead (<see cref="KeyDerivation"/>): <see cref="KeyFile.Open"/> takes a result derived ahead
/// for the same key file and password, once, and derives itself for anything else. The tests of this class run one
/// after another, so the count of pending results is theirs (other classes never derive ahead); the ones at the end
/// run <see cref="KeyPrefetch"/> against a real local repository.
/// </summary>
public class KeyDerivationTests
{
    private static readonly byte[] File = KeyFile.Create(CryptoTestData.FixedKey, "correct horse", CryptoTestData.FastOptions, TimeProvider.System);

    [Fact]
    public void DeriveAhead_ThenOpen_TakesTheResultOnce()
    {
        var pendingBefore = KeyDerivation.Pending;
        var ahead = KeyDerivation.Announce();
        var thread = new Thread(() => KeyFile.DeriveAhead(File, "correct horse", ahead));
        thread.Start();

        var key = KeyFile.Open(File, "correct horse");

        Assert.True(key.EncryptionKey.SequenceEqual(CryptoTestData.FixedKey.EncryptionKey));
        Assert.True(thread.Join(TimeSpan.FromSeconds(30)));
        Assert.Equal(pendingBefore, KeyDerivation.Pending);

        // Taken once: the next open derives again, and still opens.
        Assert.Equal(CryptoTestData.FixedKey.ChunkerSeed, KeyFile.Open(File, "correct horse").ChunkerSeed);
    }

    [Fact]
    public void DeriveAhead_OtherPassword_IsNotUsed_WrongPasswordStillFails()
    {
        var pendingBefore = KeyDerivation.Pending;
        using (var ahead = KeyDerivation.Announce())
        {
            KeyFile.DeriveAhead(File, "a guess", ahead);
        }

        Assert.Equal(pendingBefore + 1, KeyDerivation.Pending);
        Assert.Equal(CryptoTestData.FixedKey.ChunkerSeed, KeyFile.Open(File, "correct horse").ChunkerSeed);
        Assert.Equal(pendingBefore + 1, KeyDerivation.Pending);

        // The guessed password's result opens nothing it should not: the envelope still decides.
        Assert.Throws<WrongPasswordException>(() => KeyFile.Open(File, "a guess"));
        Assert.Equal(pendingBefore, KeyDerivation.Pending);
    }

    [Fact]
    public async Task Announce_Withdrawn_OpenDerivesItself()
    {
        var pendingBefore = KeyDerivation.Pending;
        var ahead = KeyDerivation.Announce();
        var open = Task.Run(() => KeyFile.Open(File, "correct horse"));
        ahead.Dispose();

        var key = await open.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(CryptoTestData.FixedKey.ChunkerSeed, key.ChunkerSeed);
        Assert.Equal(pendingBefore, KeyDerivation.Pending);
        Assert.Throws<InvalidOperationException>(() => ahead.Run("correct horse", new byte[KeyFile.SaltSize], 1000));
    }

    [Fact]
    public void DeriveAhead_MalformedKeyFile_ThrowsAndDerivesNothing()
    {
        var pendingBefore = KeyDerivation.Pending;
        using (var ahead = KeyDerivation.Announce())
        {
            Assert.Throws<InvalidDataException>(() => KeyFile.DeriveAhead("{\"version\":1}"u8, "correct horse", ahead));
        }

        Assert.Equal(pendingBefore, KeyDerivation.Pending);
        Assert.Equal(CryptoTestData.FixedKey.ChunkerSeed, KeyFile.Open(File, "correct horse").ChunkerSeed);
    }

    [Fact]
    public async Task KeyPrefetch_ThenOpen_OpensWithTheDerivedKey()
    {
        using var dir = new TempDirectory();
        await InitAsync(dir.Path, "correct horse");
        var pendingBefore = KeyDerivation.Pending;

        KeyPrefetch.Start(() => new LocalStorage(new LocalStorageOptions(dir.Path)), "correct horse");
        await using var repository = await Stackvault.Repository.Repository.OpenAsync(new LocalStorage(new LocalStorageOptions(dir.Path)), "correct horse", TimeProvider.System, CancellationToken.None);

        Assert.True(repository.IsEncrypted);
        Assert.Equal(pendingBefore, KeyDerivation.Pending);
    }

    [Fact]
    public async Task KeyPrefetch_WrongPassword_OpenStillSaysWrongPassword()
    {
        using var dir = new TempDirectory();
        await InitAsync(dir.Path, "correct horse");
        var pendingBefore = KeyDerivation.Pending;

        KeyPrefetch.Start(() => new LocalStorage(new LocalStorageOptions(dir.Path)), "wrong");
        await Assert.ThrowsAsync<WrongPasswordException>(async () =>
            await Stackvault.Repository.Repository.OpenAsync(new LocalStorage(new LocalStorageOptions(dir.Path)), "wrong", TimeProvider.System, CancellationToken.None));
        Assert.Equal(pendingBefore, KeyDerivation.Pending);
    }

    [Fact]
    public async Task KeyPrefetch_NoRepository_IsDropped_OpenReportsItAsBefore()
    {
        using var dir = new TempDirectory();
        var pendingBefore = KeyDerivation.Pending;

        KeyPrefetch.Start(() => new LocalStorage(new LocalStorageOptions(dir.Sub("none"))), "correct horse");
        await Assert.ThrowsAsync<RepositoryNotFoundException>(async () =>
            await Stackvault.Repository.Repository.OpenAsync(new LocalStorage(new LocalStorageOptions(dir.Sub("none"))), "correct horse", TimeProvider.System, CancellationToken.None));
        Assert.Equal(pendingBefore, KeyDerivation.Pending);
        Assert.False(Directory.Exists(dir.Sub("none")));
    }

    private static async Task InitAsync(string path, string password)
    {
        var options = new RepositoryInitOptions { Password = password, KdfIterations = 1000 };
        await (await Stackvault.Repository.Repository.InitAsync(new LocalStorage(new LocalStorageOptions(path)), options, TimeProvider.System, CancellationToken.None)).DisposeAsync();
    }
}
