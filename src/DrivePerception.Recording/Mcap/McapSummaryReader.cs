using System.Buffers.Binary;
using System.IO.Hashing;

namespace DrivePerception.Recording.Mcap;

/// <summary>
/// Reads the end of a file: the Footer and closing magic, then the summary section they point at (checked
/// against the summary CRC): schemas, channels, statistics and chunk indexes.
/// </summary>
internal static class McapSummaryReader
{
    /// <summary>
    /// Reads the Footer and, when it points at one, the summary. Strict mode throws when the footer is missing
    /// or the summary damaged; recovery mode adds a problem to <paramref name="problems"/> and returns no summary.
    /// </summary>
    /// <param name="source">The file.</param>
    /// <param name="dataStart">Offset of the first record after the Header.</param>
    /// <param name="options">Strict or recovery mode, CRC checks.</param>
    /// <param name="problems">Receives what was wrong, in recovery mode.</param>
    public static (bool HasFooter, long FooterOffset, McapSummary? Summary) Read(
        McapFileSource source, long dataStart, McapReaderOptions options, List<string> problems)
    {
        long length = source.Length;
        if (length - dataStart < McapFormat.FooterAndMagicLength)
        {
            NoFooter($"The file ({length} bytes) is too short to end with a Footer", length, options);
            return (false, 0, null);
        }

        long footerOffset = length - McapFormat.FooterAndMagicLength;
        var tail = source.ReadAt(footerOffset, McapFormat.FooterAndMagicLength);
        int magicAt = McapFormat.FooterAndMagicLength - McapFormat.MagicLength;
        if (tail[0] != (byte)McapOpcode.Footer
            || BinaryPrimitives.ReadUInt64LittleEndian(tail.AsSpan(1)) != McapFormat.FooterContentLength
            || !tail.AsSpan(magicAt).SequenceEqual(McapFormat.Magic))
        {
            NoFooter("The file does not end with a Footer record and the MCAP magic", length, options);
            return (false, 0, null);
        }

        var (summaryStart, summaryOffsetStart, summaryCrc) =
            McapRecordParser.ParseFooter(tail.AsSpan(McapFormat.RecordPrefixLength, McapFormat.FooterContentLength), footerOffset);
        if (summaryStart == 0)
        {
            return (true, footerOffset, null); // A complete file written without a summary: messages are found by scanning.
        }

        long earliestSummary = dataStart + McapFormat.RecordPrefixLength + McapFormat.DataEndContentLength;
        if (summaryStart < (ulong)earliestSummary || summaryStart > (ulong)footerOffset
            || (summaryOffsetStart != 0 && (summaryOffsetStart < summaryStart || summaryOffsetStart > (ulong)footerOffset))
            || footerOffset - (long)summaryStart > Array.MaxLength)
        {
            SummaryUnusable($"The Footer points the summary at offset {summaryStart}, outside the file's summary area ({earliestSummary}..{footerOffset}).", options, problems);
            return (true, footerOffset, null);
        }

        var summaryBytes = source.ReadAt((long)summaryStart, (int)(footerOffset - (long)summaryStart));
        if (options.ValidateCrcs && summaryCrc != 0)
        {
            // The summary CRC covers the summary, the summary offsets and the Footer up to the CRC field itself.
            var crc = new Crc32();
            crc.Append(summaryBytes);
            crc.Append(tail.AsSpan(0, McapFormat.RecordPrefixLength + 16));
            uint actual = crc.GetCurrentHashAsUInt32();
            if (actual != summaryCrc)
            {
                string message = $"Summary CRC mismatch (stored 0x{summaryCrc:X8}, computed 0x{actual:X8}): the summary at offset {summaryStart} was damaged.";
                if (!options.Recover)
                {
                    throw new McapCrcException(message + " Open with McapReaderOptions { Recover = true } to ignore it and scan the data.", (long)summaryStart, summaryCrc, actual);
                }

                SummaryUnusable(message, options, problems);
                return (true, footerOffset, null);
            }
        }

        try
        {
            return (true, footerOffset, ParseSummary(summaryBytes, (long)summaryStart));
        }
        catch (McapFormatException ex) when (options.Recover)
        {
            SummaryUnusable(ex.Message, options, problems);
            return (true, footerOffset, null);
        }
    }

    private static McapSummary ParseSummary(byte[] bytes, long summaryStart)
    {
        var schemas = new Dictionary<ushort, McapSchema>();
        var channels = new Dictionary<ushort, McapChannel>();
        var chunkIndexes = new List<McapChunkIndex>();
        McapStatistics? statistics = null;
        int position = 0;
        while (position < bytes.Length)
        {
            long offset = summaryStart + position;
            if (bytes.Length - position < McapFormat.RecordPrefixLength)
            {
                throw new McapFormatException($"The summary ends in the middle of a record at offset {offset}.", offset);
            }

            var opcode = (McapOpcode)bytes[position];
            ulong length = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(position + 1));
            if (length > (ulong)(bytes.Length - position - McapFormat.RecordPrefixLength))
            {
                throw new McapFormatException($"The {opcode} record at offset {offset} runs past the end of the summary.", offset);
            }

            var content = bytes.AsSpan(position + McapFormat.RecordPrefixLength, (int)length);
            switch (opcode)
            {
                case McapOpcode.Schema:
                    var schema = McapRecordParser.ParseSchema(content, offset);
                    schemas[schema.Id] = schema;
                    break;
                case McapOpcode.Channel:
                    var channel = McapRecordParser.ParseChannel(content, offset);
                    channels[channel.Id] = channel;
                    break;
                case McapOpcode.Statistics:
                    statistics = McapRecordParser.ParseStatistics(content, offset);
                    break;
                case McapOpcode.ChunkIndex:
                    chunkIndexes.Add(McapRecordParser.ParseChunkIndex(content, offset));
                    break;
                default:
                    break; // Attachment and metadata indexes, summary offsets, unknown opcodes: not needed here.
            }

            position += McapFormat.RecordPrefixLength + (int)length;
        }

        return new McapSummary(schemas, channels, statistics, chunkIndexes);
    }

    private static void NoFooter(string what, long length, McapReaderOptions options)
    {
        string message = $"{what}: it was cut short (crash, full disk, copy in progress) or is still being written, so it has no summary.";
        if (!options.Recover)
        {
            throw new McapFormatException(message + " Open it with McapReaderOptions { Recover = true } to read up to its last complete chunk.", length);
        }

        // Recovery mode: nothing to add; the report's FooterPresent says it, and the scan notes where the data ends.
    }

    private static void SummaryUnusable(string message, McapReaderOptions options, List<string> problems)
    {
        if (!options.Recover)
        {
            throw new McapFormatException(message + " Open with McapReaderOptions { Recover = true } to ignore the summary and scan the data.");
        }

        problems.Add(message + " The summary was ignored.");
    }
}
