using Stackvault.Storage;

namespace Stackvault.Repository.Packing;

/// <summary>
/// A pack written to the storage's temporary object as it fills (no pack-sized buffer): nothing is visible under a
/// pack name until <see cref="SaveAsync"/> publishes it.
/// </summary>
internal sealed class StreamingPackBuilder(IStorage storage) : PackBuilder(storage)
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
        _file ??= Storage.StartObject(ObjectKind.Pack);
        _file.Write(data);
    }

    private void CloseFile()
    {
        _file?.Dispose();
        _file = null;
    }
}
