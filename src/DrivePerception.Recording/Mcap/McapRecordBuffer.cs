using System.Buffers.Binary;
using System.Text;

namespace DrivePerception.Recording.Mcap;

/// <summary>
/// A growable byte buffer that serialises MCAP primitives (little-endian integers, uint32-prefixed strings,
/// byte arrays and maps) and whole records. The writer owns one for records and one for the open chunk and
/// reuses both, so steady-state writing allocates only when a message is larger than anything seen before.
/// </summary>
internal sealed class McapRecordBuffer
{
    /// <summary>Backing array; bytes [0, Length) are written. Owned by this buffer, replaced when it grows.</summary>
    private byte[] _buffer;

    /// <summary>Creates a buffer with room for <paramref name="initialCapacity"/> bytes.</summary>
    public McapRecordBuffer(int initialCapacity = 4096)
    {
        _buffer = new byte[Math.Max(16, initialCapacity)];
    }

    /// <summary>Number of bytes written.</summary>
    public int Length { get; private set; }

    /// <summary>The written bytes; valid until the next write or <see cref="Clear"/>.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, Length);

    /// <summary>The written bytes; valid until the next write or <see cref="Clear"/>.</summary>
    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, Length);

    /// <summary>Forgets the written bytes, keeping the capacity.</summary>
    public void Clear() => Length = 0;

    public void WriteByte(byte value) => Reserve(1)[0] = value;

    public void WriteUInt16(ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(Reserve(2), value);

    public void WriteUInt32(uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Reserve(4), value);

    public void WriteUInt64(ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(Reserve(8), value);

    /// <summary>Raw bytes with no length prefix.</summary>
    public void WriteRaw(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Reserve(bytes.Length));

    /// <summary>A uint32 byte length followed by the UTF-8 bytes of <paramref name="value"/>.</summary>
    public void WriteString(string value)
    {
        int byteCount = Encoding.UTF8.GetByteCount(value);
        WriteUInt32((uint)byteCount);
        Encoding.UTF8.GetBytes(value, Reserve(byteCount));
    }

    /// <summary>A uint32 byte length followed by <paramref name="bytes"/>.</summary>
    public void WriteBytes32(ReadOnlySpan<byte> bytes)
    {
        WriteUInt32((uint)bytes.Length);
        WriteRaw(bytes);
    }

    /// <summary>A Map&lt;string, string&gt;: uint32 byte length of the entries, then key and value strings.</summary>
    public void WriteStringMap(IReadOnlyDictionary<string, string> map)
    {
        int lengthAt = BeginLengthPrefix32();
        foreach (var (key, value) in map)
        {
            WriteString(key);
            WriteString(value);
        }

        EndLengthPrefix32(lengthAt);
    }

    /// <summary>A Map&lt;uint16, uint64&gt;, written in the order of <paramref name="entries"/>.</summary>
    public void WriteUInt16UInt64Map(IEnumerable<KeyValuePair<ushort, ulong>> entries)
    {
        int lengthAt = BeginLengthPrefix32();
        foreach (var (key, value) in entries)
        {
            WriteUInt16(key);
            WriteUInt64(value);
        }

        EndLengthPrefix32(lengthAt);
    }

    /// <summary>Writes an opcode and a placeholder uint64 length; returns the position to hand to <see cref="EndRecord"/>.</summary>
    public int BeginRecord(McapOpcode opcode)
    {
        WriteByte((byte)opcode);
        int lengthAt = Length;
        WriteUInt64(0);
        return lengthAt;
    }

    /// <summary>Patches the length written by <see cref="BeginRecord"/> with the bytes written since.</summary>
    public void EndRecord(int lengthAt) =>
        BinaryPrimitives.WriteUInt64LittleEndian(_buffer.AsSpan(lengthAt), (ulong)(Length - lengthAt - 8));

    private int BeginLengthPrefix32()
    {
        int lengthAt = Length;
        WriteUInt32(0);
        return lengthAt;
    }

    private void EndLengthPrefix32(int lengthAt) =>
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(lengthAt), (uint)(Length - lengthAt - 4));

    /// <summary>Advances <see cref="Length"/> by <paramref name="count"/> and returns the span to fill.</summary>
    private Span<byte> Reserve(int count)
    {
        int needed = checked(Length + count);
        if (needed > _buffer.Length)
        {
            // Doubling keeps appends amortised O(1); Array.MaxLength caps it for messages near 2 GiB.
            int newSize = (int)Math.Min(Array.MaxLength, Math.Max((long)_buffer.Length * 2, needed));
            Array.Resize(ref _buffer, newSize);
        }

        var span = _buffer.AsSpan(Length, count);
        Length = needed;
        return span;
    }
}
