using System.Text.Json;
using Stackvault.Errors;
using Stackvault.Repository.Model;
using Stackvault.Storage;

namespace Stackvault.Repository;

public sealed partial class Repository
{
    /// <summary>Reads, authenticates, decompresses and checks one blob into <paramref name="destination"/> (RawLength bytes).</summary>
    public async ValueTask ReadBlobAsync(BlobLocation location, Memory<byte> destination, CancellationToken cancellationToken)
    {
        var pack = new ObjectHandle(ObjectKind.Pack, Index.PackId(location.PackIndex).ToString());
        var stored = Stackvault.Buffers.BufferPool.Rent((int)location.Length);
        try
        {
            await Storage.ReadAtAsync(pack, location.Offset, stored.AsMemory(0, (int)location.Length), cancellationToken).ConfigureAwait(false);
            Blobs.DecodeInPlace(stored.AsSpan(0, (int)location.Length), location, pack, destination.Span);
        }
        finally
        {
            Stackvault.Buffers.BufferPool.Return(stored);
        }
    }

    public BlobLocation Locate(ObjectId id, BlobType type)
    {
        if (!Index.TryGet(id, out var location))
        {
            throw new StackvaultException($"blob {id} is not in any index: the repository is missing data (run verify)");
        }

        if (location.Type != type)
        {
            throw new StackvaultException($"blob {id} is a {location.Type} blob, expected {type}");
        }

        return location;
    }

    public async ValueTask<byte[]> ReadBlobAsync(ObjectId id, BlobType type, CancellationToken cancellationToken)
    {
        var location = Locate(id, type);
        var data = new byte[location.RawLength];
        await ReadBlobAsync(location, data, cancellationToken).ConfigureAwait(false);
        return data;
    }

    public async ValueTask<Tree> LoadTreeAsync(ObjectId id, CancellationToken cancellationToken)
    {
        var bytes = await ReadBlobAsync(id, BlobType.Tree, cancellationToken).ConfigureAwait(false);
        return ParseTree(id, bytes);
    }

    public static Tree ParseTree(ObjectId id, byte[] bytes)
    {
        Tree? tree;
        try
        {
            tree = JsonSerializer.Deserialize(bytes, ModelJsonContext.Default.Tree);
        }
        catch (JsonException e)
        {
            throw new StackvaultException($"tree {id.ToShortString()}: not valid JSON: {e.Message}");
        }

        if (tree is null)
        {
            throw new StackvaultException($"tree {id.ToShortString()}: empty document");
        }

        if (tree.Version > Tree.CurrentVersion)
        {
            throw new UnsupportedVersionException($"tree {id.ToShortString()}", tree.Version, Tree.CurrentVersion);
        }

        return tree;
    }

    public static byte[] SerializeTree(Tree tree) => JsonSerializer.SerializeToUtf8Bytes(tree, ModelJsonContext.Default.Tree);
}
