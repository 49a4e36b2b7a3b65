using System.Buffers.Binary;
using System.IO.Hashing;

namespace DrivePerception.Recording.Mcap;

/// <summary>
/// Turns Chunk and Message records into <see cref="McapMessage"/>s: decompresses, checks the chunk CRC,
/// walks the records inside and registers the schemas and channels it meets. In recovery mode a damaged
/// chunk is skipped and counted instead of thrown.
/// </summary>
internal sealed class McapChunkDecoder
{
    private readonly ChunkCodec _codec;
    private readonly McapDefinitions _definitions;
    private readonly McapReaderOptions _options;

    public McapChunkDecoder(ChunkCodec codec, McapDefinitions definitions, McapReaderOptions options)
    {
        _codec = codec;
        _definitions = definitions;
        _options = options;
    }

    /// <summary>
    /// Decodes the messages of one chunk, in record order, keeping those on <paramref name="topics"/> (all when null).
    /// </summary>
    /// <param name="content">The Chunk record's content (after opcode and length); its messages' data point into it or into its decompressed copy.</param>
    /// <param name="chunkOffset">File offset of the Chunk record.</param>
    /// <param name="topics">Topics to keep; all when null.</param>
    /// <param name="progress">Receives the chunk counts and any problem.</param>
    /// <returns>The messages, or null when the chunk was damaged and skipped (recovery mode only).</returns>
    public List<ChunkMessage>? DecodeChunk(byte[] content, long chunkOffset, HashSet<string>? topics, McapScanProgress progress)
    {
        try
        {
            var messages = DecodeChunkOrThrow(content, chunkOffset, topics, progress);
            progress.ChunksRead++;
            return messages;
        }
        catch (McapFormatException ex) when (!_options.Recover && ex is not McapCrcException)
        {
            throw new McapFormatException(
                ex.Message + " The chunk is damaged; open the file with McapReaderOptions { Recover = true } to skip damaged chunks.", chunkOffset, ex);
        }
        catch (McapFormatException ex) when (_options.Recover)
        {
            progress.CorruptChunksSkipped++;
            progress.SkippedBytes += McapFormat.RecordPrefixLength + content.Length;
            progress.AddProblem($"Skipped damaged chunk at offset {chunkOffset} ({McapFormat.RecordPrefixLength + content.Length} bytes): {ex.Message}");
            return null;
        }
    }

    /// <summary>Makes a message from a Message record's content, or null (recovery mode) when its channel is unknown.</summary>
    /// <param name="content">Record content; the message data is a slice of it.</param>
    /// <param name="recordOffset">File offset of the record, or of the chunk holding it.</param>
    /// <param name="progress">Counts the message when its channel is unknown (recovery mode).</param>
    public McapMessage? CreateMessage(ReadOnlyMemory<byte> content, long recordOffset, McapScanProgress progress)
    {
        var (channelId, sequence, logTime, publishTime) = McapRecordParser.ParseMessageFields(content.Span, recordOffset);
        if (!_definitions.Channels.TryGetValue(channelId, out var channel))
        {
            string message = $"Message record at offset {recordOffset} is on channel {channelId}, which no Channel record before it defines.";
            if (!_options.Recover)
            {
                throw new McapFormatException(message, recordOffset);
            }

            progress.MessagesWithoutChannel++;
            progress.AddProblem(message + " Skipped.");
            return null;
        }

        return new McapMessage(channel, sequence, logTime, publishTime, content[McapFormat.MessageFieldsLength..]);
    }

    private List<ChunkMessage> DecodeChunkOrThrow(byte[] content, long chunkOffset, HashSet<string>? topics, McapScanProgress progress)
    {
        var header = McapRecordParser.ParseChunk(content, chunkOffset);
        var (start, length) = header.Records.GetOffsetAndLength(content.Length);
        var records = _codec.Decompress(header.Compression, content.AsMemory(start, length), header.UncompressedSize, chunkOffset);

        if (_options.ValidateCrcs && header.UncompressedCrc != 0)
        {
            uint actual = Crc32.HashToUInt32(records.Span);
            if (actual != header.UncompressedCrc)
            {
                throw new McapCrcException(
                    $"Chunk at offset {chunkOffset}: CRC mismatch (stored 0x{header.UncompressedCrc:X8}, computed 0x{actual:X8} over {records.Length} decompressed bytes). The file was damaged after it was written; open it with McapReaderOptions {{ Recover = true }} to skip damaged chunks.",
                    chunkOffset, header.UncompressedCrc, actual);
            }
        }

        var messages = new List<ChunkMessage>();
        long position = 0;
        while (position < records.Length)
        {
            var span = records.Span[(int)position..];
            if (span.Length < McapFormat.RecordPrefixLength)
            {
                throw new McapFormatException($"Chunk at offset {chunkOffset}: {span.Length} stray bytes after its last record.", chunkOffset);
            }

            var opcode = (McapOpcode)span[0];
            ulong recordLength = BinaryPrimitives.ReadUInt64LittleEndian(span[1..]);
            if (recordLength > (ulong)(span.Length - McapFormat.RecordPrefixLength))
            {
                throw new McapFormatException(
                    $"Chunk at offset {chunkOffset}: the {opcode} record at byte {position} of its records claims {recordLength} bytes, past the chunk's end.", chunkOffset);
            }

            var recordContent = records.Slice((int)position + McapFormat.RecordPrefixLength, (int)recordLength);
            switch (opcode)
            {
                case McapOpcode.Schema:
                    _definitions.Add(McapRecordParser.ParseSchema(recordContent.Span, chunkOffset), chunkOffset, progress);
                    break;
                case McapOpcode.Channel:
                    _definitions.Add(McapRecordParser.ParseChannel(recordContent.Span, chunkOffset), chunkOffset, progress);
                    break;
                case McapOpcode.Message:
                    var message = CreateMessage(recordContent, chunkOffset, progress);
                    if (message is not null && (topics is null || topics.Contains(message.Channel.Topic)))
                    {
                        messages.Add(new ChunkMessage(message, position));
                    }

                    break;
                default:
                    break; // Other opcodes may not appear in chunks; unknown ones are skipped, as the spec asks.
            }

            position += McapFormat.RecordPrefixLength + (long)recordLength;
        }

        return messages;
    }
}
