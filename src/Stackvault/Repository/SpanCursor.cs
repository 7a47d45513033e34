using System.Buffers.Binary;

namespace Stackvault.Repository;

/// <summary>Reads untrusted bytes front to back; every read is length-checked and names the field on failure.</summary>
internal ref struct SpanCursor(ReadOnlySpan<byte> data, string what)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _position;

    public ReadOnlySpan<byte> Take(int count, string field)
    {
        if (count < 0 || _data.Length - _position < count)
        {
            throw new InvalidDataException($"{what}: truncated at {field} (offset {_position}, need {count} bytes, {_data.Length - _position} left)");
        }

        var slice = _data.Slice(_position, count);
        _position += count;
        return slice;
    }

    /// <summary>Reads a u32le count of items of <paramref name="itemSize"/> bytes, checking they can fit.</summary>
    public int Count(int itemSize, string field)
    {
        var count = BinaryPrimitives.ReadUInt32LittleEndian(Take(4, field));
        if (count > (uint)((_data.Length - _position) / itemSize))
        {
            throw new InvalidDataException($"{what}: {field} {count} needs more bytes than the {_data.Length - _position} left");
        }

        return (int)count;
    }

    public readonly void ExpectEnd()
    {
        if (_position != _data.Length)
        {
            throw new InvalidDataException($"{what}: {_data.Length - _position} trailing bytes");
        }
    }
}
