using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Stackvault.Errors;
using Stackvault.Repository;
using Stackvault.Storage;

namespace Stackvault.Crypto;

/// <summary>
/// The hash a repository identifies blobs and names packs with (config <c>hash</c>, docs/design.md sections 4 and 10):
/// SHA-256 (config versions 1 and 2, and version 3 with <c>"hash":"sha256"</c>) or BLAKE3 (version 3 with
/// <c>"hash":"blake3"</c>, the default for new repositories). Blob ids are keyed with the master key's id key in an
/// encrypted repository (HMAC-SHA-256, or BLAKE3's keyed mode); pack names never are. Index files, snapshots, key
/// files and the config keep SHA-256 in every version: they are small, and a reader needs no config to check them.
/// Thread-safe; <see cref="Incremental"/> instances are not.
/// </summary>
public abstract class ContentHash
{
    public const string Sha256Name = "sha256";
    public const string Blake3Name = "blake3";

    public static readonly ContentHash Sha256 = new Sha256Hash();
    public static readonly ContentHash Blake3 = new Blake3Hash();

    private ContentHash(string name) => Name = name;

    /// <summary>The config's name for it: <c>sha256</c> or <c>blake3</c>.</summary>
    public string Name { get; }

    /// <summary>The hash a config's <c>hash</c> field names; absent (versions 1 and 2) is SHA-256.</summary>
    public static ContentHash Named(string? name) => name switch
    {
        null or Sha256Name => Sha256,
        Blake3Name => Blake3Hash.Usable(),
        _ => throw new InvalidDataException($"config: hash '{name}' is not one of {Sha256Name}, {Blake3Name}"),
    };

    /// <summary>The unkeyed hash of <paramref name="data"/> into 32 bytes.</summary>
    public abstract void Hash(ReadOnlySpan<byte> data, Span<byte> output);

    /// <summary>The hash of <paramref name="data"/> keyed with a 32-byte key into 32 bytes (a MAC).</summary>
    public abstract void HashKeyed(byte[] key, ReadOnlySpan<byte> data, Span<byte> output);

    /// <summary>A hash fed piece by piece (a pack's name as its bytes are appended).</summary>
    public abstract Incremental CreateIncremental();

    /// <summary>The id of a pack's stored bytes.</summary>
    public ObjectId PackId(ReadOnlySpan<byte> stored)
    {
        Span<byte> hash = stackalloc byte[ObjectId.Size];
        Hash(stored, hash);
        return new ObjectId(hash);
    }

    /// <summary>Checks that a pack's stored bytes hash to its name (invariant 5).</summary>
    public void CheckPack(ObjectHandle handle, ReadOnlySpan<byte> stored)
    {
        var actual = PackId(stored).ToString();
        if (actual != handle.Name)
        {
            throw new CorruptObjectException(handle, $"content hash ({Name}) is {actual[..16]}..., not its name ({stored.Length} bytes)");
        }
    }

    public override string ToString() => Name;

    /// <summary>An incremental hash; <see cref="GetHashAndReset"/> returns the 32-byte hash and starts over.</summary>
    public abstract class Incremental : IDisposable
    {
        public abstract void Append(ReadOnlySpan<byte> data);

        public abstract ObjectId GetHashAndReset();

        public abstract void Dispose();
    }

    private sealed class Sha256Hash() : ContentHash(Sha256Name)
    {
        public override void Hash(ReadOnlySpan<byte> data, Span<byte> output) => SHA256.HashData(data, output);

        public override void HashKeyed(byte[] key, ReadOnlySpan<byte> data, Span<byte> output) => HMACSHA256.HashData(key, data, output);

        public override Incremental CreateIncremental() => new Sha256Incremental();

        private sealed class Sha256Incremental : Incremental
        {
            private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

            public override void Append(ReadOnlySpan<byte> data) => _hash.AppendData(data);

            public override ObjectId GetHashAndReset() => new(_hash.GetHashAndReset());

            public override void Dispose() => _hash.Dispose();
        }
    }

    /// <summary>
    /// BLAKE3 through Blake3.NET 1.1.0 (NuGet <c>Blake3</c>): the BLAKE3 team's Rust implementation (crate 1.5.0, its
    /// AVX-512, AVX2 or SSE4.1 assembly chosen at run time) in a native library, <see cref="NativeLibrary"/>, that ships
    /// beside the CLI. 8.2-8.4 GB/s on one core here, keyed or not, where the managed 3.0.2 ran 1.1-1.4 keyed (blob ids
    /// of an encrypted repository) and 6.3-6.5 unkeyed (CryptoBenchmarks; docs/benchmarks.md, stop 31).
    /// </summary>
    private sealed class Blake3Hash() : ContentHash(Blake3Name)
    {
        /// <summary>The native library Blake3.NET loads (runtimes/linux-x64/native in its package).</summary>
        public const string NativeLibrary = "libblake3_dotnet.so";

        /// <summary>BLAKE3("abc"), from the reference implementation's test vectors (b3sum agrees).</summary>
        private static ReadOnlySpan<byte> AbcHash => [
            0x64, 0x37, 0xb3, 0xac, 0x38, 0x46, 0x51, 0x33, 0xff, 0xb6, 0x3b, 0x75, 0x27, 0x3a, 0x8d, 0xb5,
            0x48, 0xc5, 0x58, 0x46, 0x5d, 0x79, 0xdb, 0x03, 0xfd, 0x35, 0x9c, 0x6c, 0xd5, 0xbd, 0x9d, 0x85];

        private static readonly Lazy<string?> Unusable = new(Probe);

        /// <summary>
        /// The hash, once a first use has shown that its native library loads and hashes "abc" right; else a
        /// <see cref="StackvaultException"/> in one line, before a repository is created, opened or written.
        /// </summary>
        public static ContentHash Usable() => Unusable.Value is { } reason ? throw new StackvaultException(reason) : Blake3;

        private static string? Probe()
        {
            try
            {
                Span<byte> hash = stackalloc byte[ObjectId.Size];
                global::Blake3.Hasher.Hash("abc"u8, hash);
                return hash.SequenceEqual(AbcHash)
                    ? null
                    : $"BLAKE3: the native library {NativeLibrary} hashes 'abc' to {Convert.ToHexStringLower(hash)}, not BLAKE3's {Convert.ToHexStringLower(AbcHash)}: it is not the library this build ships";
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
            {
                // .NET's message names no cause (its dlopen errors are not kept): say whether the file is there.
                var there = new[] { AppContext.BaseDirectory, Path.Combine(AppContext.BaseDirectory, "runtimes", RuntimeInformation.RuntimeIdentifier, "native") }
                    .Any(directory => File.Exists(Path.Combine(directory, NativeLibrary)));
                var why = there ? "it is there, but does not load: a damaged file, or one built for another platform" : "it is not there";
                return $"BLAKE3: the native library {NativeLibrary} could not be loaded from {AppContext.BaseDirectory} ({why}); it ships beside the stackvault executable: install the whole build directory, not the executable alone ({e.GetType().Name})";
            }
        }

        public override void Hash(ReadOnlySpan<byte> data, Span<byte> output) => global::Blake3.Hasher.Hash(data, output);

        public override void HashKeyed(byte[] key, ReadOnlySpan<byte> data, Span<byte> output)
        {
            using var hasher = global::Blake3.Hasher.NewKeyed(key);
            hasher.Update(data);
            hasher.Finalize(output);
        }

        public override Incremental CreateIncremental() => new Blake3Incremental();

        private sealed class Blake3Incremental : Incremental
        {
            private global::Blake3.Hasher _hasher = global::Blake3.Hasher.New();

            public override void Append(ReadOnlySpan<byte> data) => _hasher.Update(data);

            public override ObjectId GetHashAndReset()
            {
                Span<byte> hash = stackalloc byte[ObjectId.Size];
                _hasher.Finalize(hash);
                _hasher.Reset();
                return new ObjectId(hash);
            }

            public override void Dispose() => _hasher.Dispose();
        }
    }
}
