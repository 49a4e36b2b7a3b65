namespace DrivePerception.Recording.Mcap;

/// <summary>
/// Writes whole MCAP records (opcode, uint64 content length, fields in spec order) into a
/// <see cref="McapRecordBuffer"/>. Field orders follow https://mcap.dev/spec exactly; the TypeScript reader
/// in tests/mcap-crosscheck checks them.
/// </summary>
internal static class McapRecordSerializer
{
    public static void WriteHeader(McapRecordBuffer buffer, McapHeader header)
    {
        int at = buffer.BeginRecord(McapOpcode.Header);
        buffer.WriteString(header.Profile);
        buffer.WriteString(header.Library);
        buffer.EndRecord(at);
    }

    public static void WriteSchema(McapRecordBuffer buffer, McapSchema schema)
    {
        int at = buffer.BeginRecord(McapOpcode.Schema);
        buffer.WriteUInt16(schema.Id);
        buffer.WriteString(schema.Name);
        buffer.WriteString(schema.Encoding);
        buffer.WriteBytes32(schema.Data.Span);
        buffer.EndRecord(at);
    }

    public static void WriteChannel(McapRecordBuffer buffer, McapChannel channel)
    {
        int at = buffer.BeginRecord(McapOpcode.Channel);
        buffer.WriteUInt16(channel.Id);
        buffer.WriteUInt16(channel.SchemaId);
        buffer.WriteString(channel.Topic);
        buffer.WriteString(channel.MessageEncoding);
        buffer.WriteStringMap(channel.Metadata);
        buffer.EndRecord(at);
    }

    public static void WriteMessage(
        McapRecordBuffer buffer, ushort channelId, uint sequence, ulong logTime, ulong publishTime, ReadOnlySpan<byte> data)
    {
        int at = buffer.BeginRecord(McapOpcode.Message);
        buffer.WriteUInt16(channelId);
        buffer.WriteUInt32(sequence);
        buffer.WriteUInt64(logTime);
        buffer.WriteUInt64(publishTime);
        buffer.WriteRaw(data);
        buffer.EndRecord(at);
    }

    /// <summary>
    /// Writes the Chunk record up to and including the uint64 length of its records field; the caller
    /// writes the <paramref name="recordsLength"/> (compressed) record bytes straight after, so they are
    /// never copied into this buffer.
    /// </summary>
    public static void WriteChunkPrefix(
        McapRecordBuffer buffer, ulong startTime, ulong endTime, ulong uncompressedSize, uint uncompressedCrc,
        string compression, int recordsLength)
    {
        buffer.WriteByte((byte)McapOpcode.Chunk);
        int compressionBytes = System.Text.Encoding.UTF8.GetByteCount(compression);
        ulong contentLength = 8 + 8 + 8 + 4 + 4 + (ulong)compressionBytes + 8 + (ulong)recordsLength;
        buffer.WriteUInt64(contentLength);
        buffer.WriteUInt64(startTime);
        buffer.WriteUInt64(endTime);
        buffer.WriteUInt64(uncompressedSize);
        buffer.WriteUInt32(uncompressedCrc);
        buffer.WriteString(compression);
        buffer.WriteUInt64((ulong)recordsLength);
    }

    public static void WriteMessageIndex(McapRecordBuffer buffer, ushort channelId, List<(ulong LogTime, ulong Offset)> entries)
    {
        int at = buffer.BeginRecord(McapOpcode.MessageIndex);
        buffer.WriteUInt16(channelId);
        buffer.WriteUInt32((uint)(entries.Count * 16));
        foreach (var (logTime, offset) in entries)
        {
            buffer.WriteUInt64(logTime);
            buffer.WriteUInt64(offset);
        }

        buffer.EndRecord(at);
    }

    public static void WriteChunkIndex(McapRecordBuffer buffer, McapChunkIndex index)
    {
        int at = buffer.BeginRecord(McapOpcode.ChunkIndex);
        buffer.WriteUInt64(index.MessageStartTime);
        buffer.WriteUInt64(index.MessageEndTime);
        buffer.WriteUInt64(index.ChunkStartOffset);
        buffer.WriteUInt64(index.ChunkLength);
        buffer.WriteUInt16UInt64Map(index.MessageIndexOffsets);
        buffer.WriteUInt64(index.MessageIndexLength);
        buffer.WriteString(index.Compression);
        buffer.WriteUInt64(index.CompressedSize);
        buffer.WriteUInt64(index.UncompressedSize);
        buffer.EndRecord(at);
    }

    public static void WriteStatistics(McapRecordBuffer buffer, McapStatistics statistics)
    {
        int at = buffer.BeginRecord(McapOpcode.Statistics);
        buffer.WriteUInt64(statistics.MessageCount);
        buffer.WriteUInt16(statistics.SchemaCount);
        buffer.WriteUInt32(statistics.ChannelCount);
        buffer.WriteUInt32(statistics.AttachmentCount);
        buffer.WriteUInt32(statistics.MetadataCount);
        buffer.WriteUInt32(statistics.ChunkCount);
        buffer.WriteUInt64(statistics.MessageStartTime);
        buffer.WriteUInt64(statistics.MessageEndTime);
        buffer.WriteUInt16UInt64Map(statistics.ChannelMessageCounts);
        buffer.EndRecord(at);
    }

    public static void WriteSummaryOffset(McapRecordBuffer buffer, McapOpcode groupOpcode, ulong groupStart, ulong groupLength)
    {
        int at = buffer.BeginRecord(McapOpcode.SummaryOffset);
        buffer.WriteByte((byte)groupOpcode);
        buffer.WriteUInt64(groupStart);
        buffer.WriteUInt64(groupLength);
        buffer.EndRecord(at);
    }

    public static void WriteDataEnd(McapRecordBuffer buffer, uint dataSectionCrc)
    {
        int at = buffer.BeginRecord(McapOpcode.DataEnd);
        buffer.WriteUInt32(dataSectionCrc);
        buffer.EndRecord(at);
    }

    /// <summary>The Footer record without its trailing summary_crc: the bytes the summary CRC still covers.</summary>
    public static void WriteFooterPrefix(McapRecordBuffer buffer, ulong summaryStart, ulong summaryOffsetStart)
    {
        buffer.WriteByte((byte)McapOpcode.Footer);
        buffer.WriteUInt64(McapFormat.FooterContentLength);
        buffer.WriteUInt64(summaryStart);
        buffer.WriteUInt64(summaryOffsetStart);
    }
}
