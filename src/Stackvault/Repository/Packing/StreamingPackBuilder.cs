using Stackvault.Crypto;
using Stackvault.Storage;

namespace Stackvault.Repository.Packing;

/// <summary>
/// A pack written to the storage's temporary object as it fills (no pack-sized buffer): nothing is visible under a
/// pack name until <see cref="SaveAsync"/> publishes it.
/// </summary>
internal sealed class StreamingPackBuilder(IStorage storage, ContentHash hash) : PackBuilder(storage, hash)
{
    private IObjectWriter? _file;

    public override async ValueTask SaveAsync(ObjectHandle handle, CancellationToken cancellationToken)
    {
        var file = _file ?? throw new InvalidOperationException("an empty pack is never saved");
        await file.PublishAsync(handle, cancellationToken).ConfigureAwait(false);
    }

    public override void Reset()
    {
        base.Reset();
        CloseFile();
    }

    public override void Dispose()
    {
        CloseFile();
        base.Dispose();
    }

    protected override void WriteCore(ReadOnlySpan<byte> data, int offset)
    {
        _file!.WriteAt(offset, data);
    }

    protected override bool IsReady(int length) => _file is not null;

    /// <summary>Opens the temporary object when the pack's first blob is reserved.</summary>
    protected override void Prepare(int length) => _file = Storage.StartObject(ObjectKind.Pack);

    private void CloseFile()
    {
        _file?.Dispose();
        _file = null;
    }
}
