namespace DrivePerception.Recording.Mcap;

/// <summary>
/// Parses the content of MCAP records (the bytes after opcode and length). Fields added by later minor
/// versions of the spec sit after the known ones and are ignored, as the spec asks.
/// </summary>
internal static class McapRecordParser
{
    public static McapHeader ParseHeader(ReadOnlySpan<byte> content, long offset)
    {
        var reader = new McapSpanReader(content, "Header", offset);
        return new McapHeader(reader.ReadString(), reader.ReadString());
    }

    /// <param name="content">Record content; the schema data is copied out of it.</param>
    /// <param name="offset">File offset of the record, for error messages.</param>
    public static McapSchema ParseSchema(ReadOnlySpan<byte> content, long offset)
    {
        var reader = new McapSpanReader(content, "Schema", offset);
        ushort id = reader.ReadUInt16();
        string name = reader.ReadString();
        string encoding = reader.ReadString();
        var data = content[reader.ReadBytes32()].ToArray();
        return new McapSchema(id, name, encoding, data);
    }

    public static McapChannel ParseChannel(ReadOnlySpan<byte> content, long offset)
    {
        var reader = new McapSpanReader(content, "Channel", offset);
        ushort id = reader.ReadUInt16();
        ushort schemaId = reader.ReadUInt16();
        string topic = reader.ReadString();
        string encoding = reader.ReadString();
        var metadata = reader.ReadStringMap();
        return new McapChannel(id, schemaId, topic, encoding, metadata);
    }

    /// <summary>The fixed fields of a Message record; the payload is the rest of the content.</summary>
    public static (ushort ChannelId, uint Sequence, ulong LogTime, ulong PublishTime) ParseMessageFields(
        ReadOnlySpan<byte> content, long offset)
    {
        var reader = new McapSpanReader(content, "Message", offset);
        return (reader.ReadUInt16(), reader.ReadUInt32(), reader.ReadUInt64(), reader.ReadUInt64());
    }

    /// <summary>The fields of a Chunk record, with the position of its (compressed) records in <paramref name="content"/>.</summary>
    public static ChunkHeader ParseChunk(ReadOnlySpan<byte> content, long offset)
    {
        var reader = new McapSpanReader(content, "Chunk", offset);
        ulong start = reader.ReadUInt64();
        ulong end = reader.ReadUInt64();
        ulong uncompressedSize = reader.ReadUInt64();
        uint crc = reader.ReadUInt32();
        string compression = reader.ReadString();
        Range records = reader.ReadBytes64();
        return new ChunkHeader(start, end, uncompressedSize, crc, compression, records);
    }

    public static McapChunkIndex ParseChunkIndex(ReadOnlySpan<byte> content, long offset)
    {
        var reader = new McapSpanReader(content, "Chunk Index", offset);
        return new McapChunkIndex(
            MessageStartTime: reader.ReadUInt64(),
            MessageEndTime: reader.ReadUInt64(),
            ChunkStartOffset: reader.ReadUInt64(),
            ChunkLength: reader.ReadUInt64(),
            MessageIndexOffsets: reader.ReadUInt16UInt64Map(),
            MessageIndexLength: reader.ReadUInt64(),
            Compression: reader.ReadString(),
            CompressedSize: reader.ReadUInt64(),
            UncompressedSize: reader.ReadUInt64());
    }

    public static McapStatistics ParseStatistics(ReadOnlySpan<byte> content, long offset)
    {
        var reader = new McapSpanReader(content, "Statistics", offset);
        return new McapStatistics(
            MessageCount: reader.ReadUInt64(),
            SchemaCount: reader.ReadUInt16(),
            ChannelCount: reader.ReadUInt32(),
            AttachmentCount: reader.ReadUInt32(),
            MetadataCount: reader.ReadUInt32(),
            ChunkCount: reader.ReadUInt32(),
            MessageStartTime: reader.ReadUInt64(),
            MessageEndTime: reader.ReadUInt64(),
            ChannelMessageCounts: reader.ReadUInt16UInt64Map());
    }

    public static (ulong SummaryStart, ulong SummaryOffsetStart, uint SummaryCrc) ParseFooter(ReadOnlySpan<byte> content, long offset)
    {
        var reader = new McapSpanReader(content, "Footer", offset);
        return (reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadUInt32());
    }

    public static uint ParseDataEnd(ReadOnlySpan<byte> content, long offset) =>
        new McapSpanReader(content, "Data End", offset).ReadUInt32();
}
