using Stackvault.Crypto;
using Stackvault.Storage;

namespace Stackvault.Repository;

/// <summary>
/// Starts the key derivation (PBKDF2, about 0.3 s of one core) of a repository's first key file before the command
/// opens the repository, on a thread of its own, so that it runs beside the process's start-up (argument parsing,
/// assembly loading) instead of after it. <see cref="Repository.OpenAsync"/> then opens exactly as before: it reads
/// the config and every key file itself and checks them, and only takes the derived key where the password, salt
/// and iteration count match (see <see cref="KeyDerivation"/>). The guess only reads: it lists and reads key files.
/// Whatever goes wrong with it (no repository, no key, a corrupt key file) is dropped; the command's own open
/// reports it as before.
/// </summary>
public static class KeyPrefetch
{
    /// <summary>Starts the guess on a background thread and returns at once. <paramref name="openStorage"/> runs on that thread.</summary>
    public static void Start(Func<IStorage> openStorage, string password)
    {
        ArgumentNullException.ThrowIfNull(openStorage);
        ArgumentNullException.ThrowIfNull(password);
        var ahead = KeyDerivation.Announce();
        try
        {
            new Thread(() => Run(openStorage, password, ahead)) { IsBackground = true, Name = "key derivation ahead" }.Start();
        }
        catch
        {
            ahead.Dispose();
            throw;
        }
    }

    private static void Run(Func<IStorage> openStorage, string password, KeyDerivation.Ahead ahead)
    {
        using (ahead)
        {
            try
            {
                var key = FirstKeyFileAsync(openStorage).AsTask().GetAwaiter().GetResult();
                if (key is not null)
                {
                    KeyFile.DeriveAhead(key, password, ahead);
                }
            }
            catch
            {
                // Only a guess: the command's own open meets the same problem and reports it.
            }
        }
    }

    /// <summary>The bytes of the first key file in listing order (the one <see cref="Repository.OpenAsync"/> tries first), checked against its name.</summary>
    private static async ValueTask<byte[]?> FirstKeyFileAsync(Func<IStorage> openStorage)
    {
        var storage = openStorage();
        await using (storage.ConfigureAwait(false))
        {
            await foreach (var info in storage.ListAsync(ObjectKind.Key, CancellationToken.None).ConfigureAwait(false))
            {
                var bytes = await storage.ReadAllAsync(info.Handle, CancellationToken.None).ConfigureAwait(false);
                ObjectNames.Check(info.Handle, bytes);
                return bytes;
            }

            return null;
        }
    }
}
