using System.Security.Cryptography;
using System.Text.Json;
using Stackvault.Chunking;
using Stackvault.Crypto;
using Stackvault.Errors;
using Stackvault.Repository.Model;
using Stackvault.Storage;

namespace Stackvault.Repository;

/// <summary>
/// An opened repository: its storage, config, keys, codecs and (once loaded) its master index. The repository is
/// the only source of truth; nothing here is cached on local disk.
/// </summary>
public sealed partial class Repository : IAsyncDisposable
{
    private Repository(IStorage storage, RepositoryConfig config, MasterKey? key, ObjectHandle? keyHandle, TimeProvider time)
    {
        Storage = storage;
        Config = config;
        Time = time;
        MasterKey = key;
        KeyHandle = keyHandle;
        var cipher = new ObjectCipher(key);
        Hash = config.ContentHash;
        Blobs = new BlobCodec(cipher, new BlobHasher(key, Hash), config.CompressionLevel);
        Documents = new DocumentCodec(cipher, config.CompressionLevel);
        ChunkerSeed = key?.ChunkerSeed ?? Convert.ToUInt64(config.ChunkerSeed, 16);
        Chunker = new ChunkerParameters(config.ChunkMinSize, config.ChunkAvgSize, config.ChunkMaxSize);
    }

    public IStorage Storage { get; }

    public RepositoryConfig Config { get; }

    public TimeProvider Time { get; }

    public BlobCodec Blobs { get; }

    /// <summary>The hash of blob ids and pack names (config <c>hash</c>).</summary>
    public ContentHash Hash { get; }

    public DocumentCodec Documents { get; }

    public ulong ChunkerSeed { get; }

    public ChunkerParameters Chunker { get; }

    public MasterIndex Index { get; } = new();

    /// <summary>Damage met while opening that cost only one object (a corrupt key file another key stood in for).</summary>
    public IReadOnlyList<string> OpenWarnings { get; private init; } = [];

    /// <summary>Where damage that costs only one object is reported (a corrupt snapshot left out); null: nowhere.</summary>
    public Action<string>? Warn { get; set; }

    public bool IsEncrypted => Config.IsEncrypted;

    /// <summary>The key file the password opened (<c>keys/&lt;id&gt;</c>); null for an unencrypted repository.</summary>
    public ObjectHandle? KeyHandle { get; }

    /// <summary>The unwrapped master key, for wrapping it under another password (<c>key add</c>); null when unencrypted.</summary>
    internal MasterKey? MasterKey { get; }

    /// <summary>Creates a new repository: layout, key (when encrypted), then config last, so a half-done init is not a repository.</summary>
    public static async ValueTask<Repository> InitAsync(IStorage storage, RepositoryInitOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        options.Validate();
        if (await storage.RepositoryExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new StackvaultException($"a repository exists already at {storage.Location}");
        }

        await storage.CreateLayoutAsync(cancellationToken).ConfigureAwait(false);
        var key = options.Encrypted ? MasterKey.Generate() : null;
        var config = new RepositoryConfig
        {
            Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
            Created = time.GetUtcNow(),
            Encryption = options.Encrypted ? RepositoryConfig.EncryptionAesGcm : RepositoryConfig.EncryptionNone,
            CompressionLevel = options.CompressionLevel,
            ChunkMinSize = options.Chunker.MinSize,
            ChunkAvgSize = options.Chunker.AvgSize,
            ChunkMaxSize = options.Chunker.MaxSize,
            PackSize = options.PackSize,
            Version = options.Hash == ContentHash.Sha256 ? RepositoryConfig.HashVersion - 1 : RepositoryConfig.HashVersion,
            Hash = options.Hash == ContentHash.Sha256 ? null : options.Hash.Name,
            ChunkerSeed = options.Encrypted ? null : Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
        };
        ObjectHandle? keyHandle = null;
        if (key is not null)
        {
            var keyOptions = new KeyFileOptions { Iterations = options.KdfIterations };
            var keyFile = KeyFile.Create(key, options.Password!, keyOptions, time);
            keyHandle = ObjectNames.For(ObjectKind.Key, keyFile);
            await storage.SaveAsync(keyHandle.Value, keyFile, cancellationToken).ConfigureAwait(false);
        }

        var configBytes = ConfigCodec.Encode(config, key);
        await storage.SaveAsync(ObjectHandle.Config, configBytes, cancellationToken).ConfigureAwait(false);
        return new Repository(storage, config, key, keyHandle, time);
    }

    /// <summary>Opens an existing repository, trying the password against every key.</summary>
    public static async ValueTask<Repository> OpenAsync(IStorage storage, string? password, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!await storage.RepositoryExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new RepositoryNotFoundException(storage.Location);
        }

        var parsed = ConfigCodec.Decode(await storage.ReadAllAsync(ObjectHandle.Config, cancellationToken).ConfigureAwait(false));
        var config = parsed.Config;
        MasterKey? key = null;
        ObjectHandle? keyHandle = null;
        List<string> corruptKeys = [];
        if (config.IsEncrypted)
        {
            if (string.IsNullOrEmpty(password))
            {
                throw new WrongPasswordException("this repository is encrypted: give its password (--password-file, STACKVAULT_PASSWORD, STACKVAULT_PASSWORD_FILE or STACKVAULT_PASSWORD_COMMAND)");
            }

            (key, keyHandle, corruptKeys) = await OpenKeyAsync(storage, password, cancellationToken).ConfigureAwait(false);
            ConfigCodec.CheckMac(parsed, key);
        }
        else
        {
            await foreach (var info in storage.ListAsync(ObjectKind.Key, cancellationToken).ConfigureAwait(false))
            {
                throw new CorruptObjectException(ObjectHandle.Config, $"it says the repository is unencrypted, but key file {info.Handle} exists");
            }
        }

        return new Repository(storage, config, key, keyHandle, time) { OpenWarnings = corruptKeys };
    }

    private static async ValueTask<(MasterKey Key, ObjectHandle Handle, List<string> Corrupt)> OpenKeyAsync(IStorage storage, string password, CancellationToken cancellationToken)
    {
        var handles = new List<ObjectHandle>();
        await foreach (var info in storage.ListAsync(ObjectKind.Key, cancellationToken).ConfigureAwait(false))
        {
            handles.Add(info.Handle);
        }

        // A corrupt key file costs only itself: it is named and the other keys are tried. Key files are named by
        // the SHA-256 of their bytes, so a flipped byte is told apart from a wrong password before any KDF runs.
        var corrupt = new List<string>();
        foreach (var handle in handles)
        {
            try
            {
                var bytes = await storage.ReadAllAsync(handle, cancellationToken).ConfigureAwait(false);
                ObjectNames.Check(handle, bytes);
                var opened = KeyFile.Open(bytes, password);
                foreach (var other in handles.SkipWhile(h => h != handle).Skip(1))
                {
                    try
                    {
                        ObjectNames.Check(other, await storage.ReadAllAsync(other, cancellationToken).ConfigureAwait(false));
                    }
                    catch (CorruptObjectException e)
                    {
                        corrupt.Add($"key file {other} is corrupt ({e.Message.Replace($"corrupt object {other}: ", string.Empty, StringComparison.Ordinal)})");
                    }
                }

                return (opened, handle, corrupt);
            }
            catch (WrongPasswordException)
            {
            }
            catch (Exception e) when (e is InvalidDataException or CorruptObjectException or ObjectNotFoundException or UnsupportedVersionException)
            {
                var detail = e is CorruptObjectException ? e.Message.Replace($"corrupt object {handle}: ", string.Empty, StringComparison.Ordinal) : e.Message;
                corrupt.Add($"key file {handle} is corrupt ({detail})");
            }
        }

        if (corrupt.Count == 0)
        {
            throw new WrongPasswordException();
        }

        throw new StackvaultException(
            string.Join("; ", corrupt) + (handles.Count > corrupt.Count
                ? $"; none of the other {handles.Count - corrupt.Count} key files opens with this password"
                : "; no other key file exists") + " (restore the key file from a copy, or use another password)");
    }

    public ValueTask DisposeAsync() => Storage.DisposeAsync();
}
