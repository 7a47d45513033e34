using System.Buffers.Binary;
using System.Text;

namespace Stackvault.Repository;

/// <summary>
/// An index file: which blobs each pack holds, and which older index files it supersedes. Binary layout
/// (docs/design.md, "Index files"): <c>"SVIX" || version:u8 || 3 zero bytes || supersedes_count:u32le ||
/// supersedes_count * id:32 || pack_count:u32le || pack_count * (pack_id:32 || blob_count:u32le || blob_count *
/// (type:u8 || flags:u8 || 2 zero bytes || offset:u32le || length:u32le || raw_length:u32le || id:32))</c>;
/// version 2 appends <c>pending_orphans_count:u32le || pending_orphans_count * pack_id:32</c> (packs that prune saw
/// in no index, or is about to delete). Version 2 is written only when that list is not empty, so repositories that
/// never needed it stay readable by version-1 builds.
/// </summary>
public sealed class IndexFile
{
    public const int Version = 1;
    public const int VersionWithOrphans = 2;
    public const int PrefixSize = 8;
    public const int PackPrefixSize = ObjectId.Size + 4;
    public const int EntrySize = 48;

    public static ReadOnlySpan<byte> Magic => "SVIX"u8;

    public List<ObjectId> Supersedes { get; } = [];

    public List<(ObjectId PackId, List<PackEntry> Blobs)> Packs { get; } = [];

    /// <summary>Pack names prune saw in no index (or was about to delete): the next prune may delete them if still unindexed.</summary>
    public List<ObjectId> PendingOrphans { get; } = [];

    public int BlobCount => Packs.Sum(p => p.Blobs.Count);

    public byte[] Encode()
    {
        var size = PrefixSize + 4 + (Supersedes.Count * ObjectId.Size) + 4
            + Packs.Sum(p => PackPrefixSize + (p.Blobs.Count * EntrySize))
            + (PendingOrphans.Count > 0 ? 4 + (PendingOrphans.Count * ObjectId.Size) : 0);
        var buffer = new byte[size];
        var span = buffer.AsSpan();
        Magic.CopyTo(span);
        span[4] = (byte)(PendingOrphans.Count > 0 ? VersionWithOrphans : Version);
        var pos = PrefixSize;
        BinaryPrimitives.WriteUInt32LittleEndian(span[pos..], (uint)Supersedes.Count);
        pos += 4;
        foreach (var id in Supersedes)
        {
            id.WriteTo(span[pos..]);
            pos += ObjectId.Size;
        }

        BinaryPrimitives.WriteUInt32LittleEndian(span[pos..], (uint)Packs.Count);
        pos += 4;
        foreach (var (packId, blobs) in Packs)
        {
            packId.WriteTo(span[pos..]);
            BinaryPrimitives.WriteUInt32LittleEndian(span[(pos + ObjectId.Size)..], (uint)blobs.Count);
            pos += PackPrefixSize;
            foreach (var b in blobs)
            {
                var e = span.Slice(pos, EntrySize);
                e[0] = (byte)b.Type;
                e[1] = (byte)b.Flags;
                BinaryPrimitives.WriteUInt32LittleEndian(e[4..], b.Offset);
                BinaryPrimitives.WriteUInt32LittleEndian(e[8..], b.Length);
                BinaryPrimitives.WriteUInt32LittleEndian(e[12..], b.RawLength);
                b.Id.WriteTo(e[16..]);
                pos += EntrySize;
            }
        }

        if (PendingOrphans.Count > 0)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(span[pos..], (uint)PendingOrphans.Count);
            pos += 4;
            foreach (var id in PendingOrphans)
            {
                id.WriteTo(span[pos..]);
                pos += ObjectId.Size;
            }
        }

        return buffer;
    }

    /// <summary>Parses an index file's plaintext, checking every count against the bytes present.</summary>
    public static IndexFile Decode(ReadOnlySpan<byte> data)
    {
        var reader = new SpanCursor(data, "index");
        var magic = reader.Take(4, "magic");
        if (!magic.SequenceEqual(Magic))
        {
            throw new InvalidDataException($"index: magic is '{Encoding.ASCII.GetString(magic)}', expected 'SVIX'");
        }

        var version = reader.Take(4, "version")[0];
        if (version is not (Version or VersionWithOrphans))
        {
            throw new InvalidDataException($"index: version {version}, this build reads versions {Version} and {VersionWithOrphans}");
        }

        var index = new IndexFile();
        var supersedes = reader.Count(ObjectId.Size, "supersedes_count");
        for (var i = 0; i < supersedes; i++)
        {
            index.Supersedes.Add(new ObjectId(reader.Take(ObjectId.Size, "supersedes")));
        }

        var packs = reader.Count(PackPrefixSize, "pack_count");
        for (var p = 0; p < packs; p++)
        {
            var packId = new ObjectId(reader.Take(ObjectId.Size, "pack_id"));
            var count = reader.Count(EntrySize, "blob_count");
            var blobs = new List<PackEntry>(count);
            for (var i = 0; i < count; i++)
            {
                var e = reader.Take(EntrySize, "blob entry");
                if (e[0] > (byte)BlobType.Tree || e[1] > (byte)BlobFlags.Zstd)
                {
                    throw new InvalidDataException($"index: pack {packId.ToShortString()} entry {i} has unknown type {e[0]} or flags {e[1]}");
                }

                blobs.Add(new PackEntry(new ObjectId(e.Slice(16, ObjectId.Size)), (BlobType)e[0], (BlobFlags)e[1],
                    BinaryPrimitives.ReadUInt32LittleEndian(e[4..]), BinaryPrimitives.ReadUInt32LittleEndian(e[8..]),
                    BinaryPrimitives.ReadUInt32LittleEndian(e[12..])));
            }

            index.Packs.Add((packId, blobs));
        }

        if (version == VersionWithOrphans)
        {
            var orphans = reader.Count(ObjectId.Size, "pending_orphans_count");
            for (var i = 0; i < orphans; i++)
            {
                index.PendingOrphans.Add(new ObjectId(reader.Take(ObjectId.Size, "pending_orphans")));
            }
        }

        reader.ExpectEnd();
        return index;
    }
}
