using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Stackvault.Tests.Hostile;

/// <summary>
/// Writes crafted objects straight into an unencrypted local repository, byte for byte as docs/design.md specifies
/// (sections 2, 6.5, 7, 8, 11), without going through Stackvault's writers: so trees can hold what no writer produces
/// (lone surrogates, uid 2^40, NUL in a symlink target, subtrees that fan out) and a blob can be a zstd bomb whose
/// frame expands far beyond its declared raw length. In an unencrypted repository the envelope is the plaintext and
/// every id is an unkeyed hash (BLAKE3 for blob ids and pack names in the default version-3 repository the corpus
/// is written into, SHA-256 for index files and snapshots), so an attacker with write access to the storage can write
/// any of this.
/// </summary>
internal sealed class CraftedRepository(string root)
{
    private readonly List<(byte Type, byte Flags, byte[] Stored, int RawLength, byte[] Id)> _blobs = [];

    /// <summary>Adds a tree blob holding <paramref name="json"/> (the whole document, written verbatim); returns its id.</summary>
    public string Tree(string json) => Add(1, Encoding.UTF8.GetBytes(json));

    /// <summary>Adds a plain (uncompressed) data blob; returns its id.</summary>
    public string Data(byte[] content) => Add(0, content);

    /// <summary>Adds a blob stored as <paramref name="frame"/> with the zstd flag and a declared raw length; returns the id it claims.</summary>
    public string Compressed(byte type, byte[] frame, int declaredRawLength, string claimedId)
    {
        _blobs.Add((type, 1, frame, declaredRawLength, Convert.FromHexString(claimedId)));
        return claimedId;
    }

    /// <summary>Writes one pack with every blob added, an index file naming it, and a snapshot of <paramref name="rootTree"/>.</summary>
    public void Commit(string rootTree)
    {
        var pack = new MemoryStream();
        foreach (var blob in _blobs)
        {
            pack.Write(blob.Stored);
        }

        var header = new byte[12 + (44 * _blobs.Count)];
        "SVPK"u8.CopyTo(header);
        header[4] = 1;
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(8), (uint)_blobs.Count);
        var index = new MemoryStream();
        index.WriteByte(0); // document encoding 0: plaintext
        index.Write("SVIX"u8);
        index.Write([1, 0, 0, 0]);
        WriteU32(index, 0); // supersedes
        WriteU32(index, 1); // one pack
        var offset = 0;
        var entries = new MemoryStream();
        for (var i = 0; i < _blobs.Count; i++)
        {
            var (type, flags, stored, raw, id) = _blobs[i];
            var entry = header.AsSpan(12 + (44 * i), 44);
            entry[0] = type;
            entry[1] = flags;
            BinaryPrimitives.WriteUInt32LittleEndian(entry[4..], (uint)stored.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[8..], (uint)raw);
            id.CopyTo(entry[12..]);
            entries.Write([type, flags, 0, 0]);
            WriteU32(entries, (uint)offset);
            WriteU32(entries, (uint)stored.Length);
            WriteU32(entries, (uint)raw);
            entries.Write(id);
            offset += stored.Length;
        }

        pack.Write(header);
        WriteU32(pack, (uint)header.Length);
        var packName = Save("data", pack.ToArray());
        index.Write(Convert.FromHexString(packName));
        WriteU32(index, (uint)_blobs.Count);
        index.Write(entries.ToArray());
        Save("index", index.ToArray());
        var snapshot = $$"""{"version":1,"time":"2026-01-01T00:00:00Z","tree":"{{rootTree}}","paths":["/crafted"],"hostname":"attacker","username":"x","tags":[],"status":"complete","errors":[]}""";
        Save("snapshots", [0, .. Encoding.UTF8.GetBytes(snapshot)]);
        _blobs.Clear();
    }

    /// <summary>A tree document of the given node JSON objects (sorted by the caller).</summary>
    public static string TreeJson(params string[] nodes) => $$"""{"version":1,"nodes":[{{string.Join(',', nodes)}}]}""";

    public static string Dir(string name, string subtree) => $$"""{"name":{{name}},"type":"dir","mode":493,"subtree":"{{subtree}}"}""";

    public static string File(string name, string blob, int size, string extra = "") => $$"""{"name":{{name}},"type":"file","mode":420,"size":{{size}}{{extra}},"content":["{{blob}}"]}""";

    public static string Symlink(string name, string target) => $$"""{"name":{{name}},"type":"symlink","target":{{target}}}""";

    public static string Special(string name, string type, long rdev) => $$"""{"name":{{name}},"type":"{{type}}","mode":384,"rdev":{{rdev}}}""";

    /// <summary>A JSON string literal, escaping quotes, backslashes and control characters (NUL stays \u0000).</summary>
    public static string Json(string text) => System.Text.Json.JsonSerializer.Serialize(text);

    /// <summary>
    /// A zstd frame that expands to <paramref name="bytes"/> zero bytes (a multiple of 128 KiB) from 4 bytes per
    /// 128 KiB: RLE blocks (RFC 8878 3.1.1.2), no declared content size, a 128 KiB window. 2 GiB take 64 KiB.
    /// </summary>
    public static byte[] ZstdBomb(long bytes)
    {
        const int block = 128 * 1024;
        var blocks = bytes / block;
        var frame = new MemoryStream();
        frame.Write([0x28, 0xB5, 0x2F, 0xFD]); // magic
        frame.WriteByte(0x00); // frame header descriptor: no content size, no checksum, no dictionary, not single segment
        frame.WriteByte(7 << 3); // window descriptor: 2^(10+7) = 128 KiB
        for (long i = 0; i < blocks; i++)
        {
            var last = i == blocks - 1 ? 1 : 0;
            var blockHeader = (block << 3) | (1 << 1) | last; // RLE block of 128 KiB
            frame.Write([(byte)blockHeader, (byte)(blockHeader >> 8), (byte)(blockHeader >> 16), 0x00]);
        }

        return frame.ToArray();
    }

    private string Add(byte type, byte[] plain)
    {
        var id = new byte[32];
        Stackvault.Crypto.ContentHash.Blake3.Hash(plain, id);
        if (!_blobs.Exists(b => b.Id.AsSpan().SequenceEqual(id)))
        {
            _blobs.Add((type, 0, plain, plain.Length, id));
        }

        return Convert.ToHexStringLower(id);
    }

    private string Save(string kind, byte[] bytes)
    {
        var name = kind == "data" ? Stackvault.Crypto.ContentHash.Blake3.PackId(bytes).ToString() : Convert.ToHexStringLower(SHA256.HashData(bytes));
        var dir = kind == "data" ? Path.Combine(root, "data", name[..2]) : Path.Combine(root, kind);
        Directory.CreateDirectory(dir);
        System.IO.File.WriteAllBytes(Path.Combine(dir, name), bytes);
        return name;
    }

    private static void WriteU32(Stream stream, uint value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, value);
        stream.Write(b);
    }
}
