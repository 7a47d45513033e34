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
        Blobs = new BlobCodec(cipher, new BlobHasher(key), config.CompressionLevel);
        Documents = new DocumentCodec(cipher, config.CompressionLevel);
        ChunkerSeed = key?.ChunkerSeed ?? Convert.ToUInt64(config.ChunkerSeed, 16);
        Chunker = new ChunkerParameters(config.ChunkMinSize, config.ChunkAvgSize, config.ChunkMaxSize);
    }

    public IStorage Storage { get; }

    public RepositoryConfig Config { get; }

    public TimeProvider Time { get; }

    public BlobCodec Blobs { get; }

    public DocumentCodec Documents { get; }

    public ulong ChunkerSeed { get; }

    public ChunkerParameters Chunker { get; }

    public MasterIndex Index { get; } = new();

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
            throw new StackvaultException($"a repository exists already at {storage.Location}", ExitCode.Failure);
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

        var configBytes = JsonSerializer.SerializeToUtf8Bytes(config, ModelJsonContext.Default.RepositoryConfig);
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

        var config = ReadConfig(await storage.ReadAllAsync(ObjectHandle.Config, cancellationToken).ConfigureAwait(false));
        MasterKey? key = null;
        ObjectHandle? keyHandle = null;
        if (config.IsEncrypted)
        {
            if (string.IsNullOrEmpty(password))
            {
                throw new StackvaultException("this repository is encrypted: give its password (--password-file, STACKVAULT_PASSWORD, STACKVAULT_PASSWORD_FILE or STACKVAULT_PASSWORD_COMMAND)", ExitCode.WrongPassword);
            }

            (key, keyHandle) = await OpenKeyAsync(storage, password, cancellationToken).ConfigureAwait(false);
        }

        return new Repository(storage, config, key, keyHandle, time);
    }

    private static RepositoryConfig ReadConfig(byte[] bytes)
    {
        RepositoryConfig? config;
        try
        {
            config = JsonSerializer.Deserialize(bytes, ModelJsonContext.Default.RepositoryConfig);
        }
        catch (JsonException e)
        {
            throw new CorruptObjectException(ObjectHandle.Config, "not valid JSON: " + e.Message);
        }

        if (config is null)
        {
            throw new CorruptObjectException(ObjectHandle.Config, "empty");
        }

        try
        {
            config.Validate();
        }
        catch (InvalidDataException e)
        {
            throw new CorruptObjectException(ObjectHandle.Config, e.Message);
        }

        return config;
    }

    private static async ValueTask<(MasterKey Key, ObjectHandle Handle)> OpenKeyAsync(IStorage storage, string password, CancellationToken cancellationToken)
    {
        var handles = new List<ObjectHandle>();
        await foreach (var info in storage.ListAsync(ObjectKind.Key, cancellationToken).ConfigureAwait(false))
        {
            handles.Add(info.Handle);
        }

        foreach (var handle in handles)
        {
            var bytes = await storage.ReadAllAsync(handle, cancellationToken).ConfigureAwait(false);
            try
            {
                return (KeyFile.Open(bytes, password), handle);
            }
            catch (WrongPasswordException)
            {
            }
            catch (InvalidDataException e)
            {
                throw new CorruptObjectException(handle, e.Message);
            }
        }

        throw new WrongPasswordException();
    }

    public ValueTask DisposeAsync() => Storage.DisposeAsync();
}
