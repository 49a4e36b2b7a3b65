using System.Buffers.Binary;
using System.Text;

namespace DrivePerception.Recording.Mcap;

/// <summary>
/// Reads MCAP primitives from the content of one record. Every read is bounds-checked: a record whose fields
/// run past its stated length raises <see cref="McapFormatException"/> naming the record and its file offset.
/// </summary>
internal ref struct McapSpanReader
{
    /// <summary>The record content being read (not owned).</summary>
    private readonly ReadOnlySpan<byte> _span;

    /// <summary>Record name for error messages, e.g. "Channel".</summary>
    private readonly string _recordName;

    /// <summary>File offset of the record, for error messages; -1 when unknown.</summary>
    private readonly long _recordOffset;

    public McapSpanReader(ReadOnlySpan<byte> span, string recordName, long recordOffset)
    {
        _span = span;
        _recordName = recordName;
        _recordOffset = recordOffset;
        Position = 0;
    }

    /// <summary>Bytes consumed so far.</summary>
    public int Position { get; private set; }

    /// <summary>Bytes not yet consumed.</summary>
    public readonly int Remaining => _span.Length - Position;

    public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2));

    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

    public ulong ReadUInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    /// <summary>A uint32-prefixed UTF-8 string.</summary>
    public string ReadString() => Encoding.UTF8.GetString(Take(ReadLength32("string")));

    /// <summary>A uint32-prefixed byte array, returned as its position in the record content.</summary>
    public Range ReadBytes32()
    {
        int length = ReadLength32("byte array");
        int start = Position;
        Take(length);
        return start..Position;
    }

    /// <summary>A uint64-prefixed byte array, returned as its position in the record content.</summary>
    public Range ReadBytes64()
    {
        ulong length = ReadUInt64();
        if (length > (ulong)Remaining)
        {
            throw Truncated($"a byte array of {length} bytes");
        }

        int start = Position;
        Take((int)length);
        return start..Position;
    }

    /// <summary>A Map&lt;string, string&gt;.</summary>
    public Dictionary<string, string> ReadStringMap()
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        int length = ReadLength32("map");
        int end = Position + length;
        while (Position < end)
        {
            string key = ReadString();
            map[key] = ReadString();
        }

        EnsureAt(end, "map");
        return map;
    }

    /// <summary>A Map&lt;uint16, uint64&gt;.</summary>
    public Dictionary<ushort, ulong> ReadUInt16UInt64Map()
    {
        int length = ReadLength32("map");
        if (length % 10 != 0)
        {
            throw new McapFormatException(
                $"{_recordName} record at offset {_recordOffset}: a Map<uint16, uint64> of {length} bytes is not a whole number of 10-byte entries.",
                _recordOffset);
        }

        var map = new Dictionary<ushort, ulong>(length / 10);
        for (int i = 0; i < length / 10; i++)
        {
            ushort key = ReadUInt16();
            map[key] = ReadUInt64();
        }

        return map;
    }

    private int ReadLength32(string what)
    {
        uint length = ReadUInt32();
        if (length > (uint)Remaining)
        {
            throw Truncated($"a {what} of {length} bytes");
        }

        return (int)length;
    }

    private readonly void EnsureAt(int expected, string what)
    {
        if (Position != expected)
        {
            throw new McapFormatException(
                $"{_recordName} record at offset {_recordOffset}: {what} entries overrun their stated length.",
                _recordOffset);
        }
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > Remaining)
        {
            throw Truncated($"{count} bytes");
        }

        var slice = _span.Slice(Position, count);
        Position += count;
        return slice;
    }

    private readonly McapFormatException Truncated(string needed) =>
        new($"{_recordName} record at offset {_recordOffset} is malformed: it needs {needed} at byte {Position} of its {_span.Length}-byte content.",
            _recordOffset);
}
