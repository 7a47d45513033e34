using Stackvault.Crypto;
using Stackvault.Errors;
using Stackvault.Repository;
using Stackvault.Storage;

namespace Stackvault.Keys;

/// <summary>
/// Manages the key files of an encrypted repository: several passwords wrap the same master key. The last valid key is
/// never removed; a password change adds (and checks) the new key before it removes the old one, so a crash at any point
/// leaves at least one key that opens the repository. Callers hold an exclusive lock around removals, so two concurrent
/// removals cannot each leave the other's key as "the other one".
/// </summary>
public sealed class KeyManager(Repository.Repository repository)
{
    /// <summary>Every key file, ordered by creation time; <see cref="KeyEntry.IsCurrent"/> marks the one the password opened.</summary>
    public async ValueTask<List<KeyEntry>> ListAsync(CancellationToken cancellationToken)
    {
        RequireEncrypted();
        var handles = new List<ObjectHandle>();
        await foreach (var info in repository.Storage.ListAsync(ObjectKind.Key, cancellationToken).ConfigureAwait(false))
        {
            handles.Add(info.Handle);
        }

        var entries = new List<KeyEntry>(handles.Count);
        foreach (var handle in handles)
        {
            entries.Add(await DescribeAsync(handle, cancellationToken).ConfigureAwait(false));
        }

        return [.. entries.OrderBy(e => e.Info?.Created ?? DateTimeOffset.MaxValue).ThenBy(e => e.Id, StringComparer.Ordinal)];
    }

    /// <summary>Wraps the master key under <paramref name="newPassword"/>, saves it, reads it back and opens it. Returns its handle.</summary>
    public async ValueTask<ObjectHandle> AddAsync(string newPassword, KeyFileOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        RequireEncrypted();
        if (string.IsNullOrEmpty(newPassword))
        {
            throw new UsageException("the new password is empty");
        }

        if (options.Iterations is < KeyFile.MinIterations or > KeyFile.MaxIterations)
        {
            throw new UsageException($"--kdf-iterations must be in [{KeyFile.MinIterations}, {KeyFile.MaxIterations}], got {options.Iterations}");
        }

        var bytes = KeyFile.Create(repository.MasterKey!, newPassword, options, repository.Time);
        var handle = ObjectNames.For(ObjectKind.Key, bytes);
        await repository.Storage.SaveAsync(handle, bytes, cancellationToken).ConfigureAwait(false);

        // Read back what the storage holds and open it with the new password before anyone relies on it.
        var stored = await repository.Storage.ReadAllAsync(handle, cancellationToken).ConfigureAwait(false);
        ObjectNames.Check(handle, stored);
        var reopened = KeyFile.Open(stored, newPassword);
        if (!reopened.EncryptionKey.SequenceEqual(repository.MasterKey!.EncryptionKey) || !reopened.IdKey.SequenceEqual(repository.MasterKey.IdKey))
        {
            throw new CorruptObjectException(handle, "the new key does not unwrap the repository's master key");
        }

        return handle;
    }

    /// <summary>
    /// Removes the key whose id starts with <paramref name="idPrefix"/> (at least 4 hex digits). Refuses when no other
    /// valid key would remain. Removing the key the current password opened is allowed only then; the result says so.
    /// </summary>
    public async ValueTask<KeyEntry> RemoveAsync(string idPrefix, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(idPrefix);
        var keys = await ListAsync(cancellationToken).ConfigureAwait(false);
        if (idPrefix.Length < 4)
        {
            throw new UsageException($"key id '{idPrefix}' is too short: give at least 4 hex digits (see 'key list')");
        }

        var matches = keys.Where(k => k.Id.StartsWith(idPrefix, StringComparison.OrdinalIgnoreCase)).ToList();
        return matches.Count switch
        {
            1 => await RemoveCoreAsync(matches[0], keys, cancellationToken).ConfigureAwait(false),
            0 => throw new StackvaultException($"no key matches '{idPrefix}' (see 'key list')"),
            _ => throw new UsageException($"'{idPrefix}' matches {matches.Count} keys: give more digits"),
        };
    }

    /// <summary>Changes the password: adds the new key (checked), then removes the key the current password opened.</summary>
    public async ValueTask<(ObjectHandle Added, KeyEntry Removed)> ChangePasswordAsync(string newPassword, KeyFileOptions options, CancellationToken cancellationToken)
    {
        RequireEncrypted();
        var current = repository.KeyHandle!.Value;
        var added = await AddAsync(newPassword, options, cancellationToken).ConfigureAwait(false);
        var keys = await ListAsync(cancellationToken).ConfigureAwait(false);
        var old = keys.Single(k => k.Handle == current);
        return (added, await RemoveCoreAsync(old, keys, cancellationToken).ConfigureAwait(false));
    }

    private async ValueTask<KeyEntry> RemoveCoreAsync(KeyEntry target, List<KeyEntry> keys, CancellationToken cancellationToken)
    {
        if (!keys.Any(k => k.Handle != target.Handle && k.IsValid))
        {
            throw new StackvaultException($"refusing to remove key {target.ShortId}: it is the last valid key, and without it nobody can open the repository (add another key first)");
        }

        await repository.Storage.DeleteAsync(target.Handle, cancellationToken).ConfigureAwait(false);
        return target;
    }

    private async ValueTask<KeyEntry> DescribeAsync(ObjectHandle handle, CancellationToken cancellationToken)
    {
        var isCurrent = handle == repository.KeyHandle;
        try
        {
            var bytes = await repository.Storage.ReadAllAsync(handle, cancellationToken).ConfigureAwait(false);
            ObjectNames.Check(handle, bytes);
            return new KeyEntry(handle, KeyFile.Describe(bytes), isCurrent, null);
        }
        catch (Exception e) when (e is CorruptObjectException or InvalidDataException or UnsupportedVersionException)
        {
            return new KeyEntry(handle, null, isCurrent, e.Message);
        }
    }

    private void RequireEncrypted()
    {
        if (!repository.IsEncrypted)
        {
            throw new StackvaultException("this repository is not encrypted: it has no keys or passwords");
        }
    }
}
