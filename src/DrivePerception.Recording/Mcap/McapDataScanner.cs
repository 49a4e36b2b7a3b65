using System.Buffers.Binary;
using System.IO.Hashing;

namespace DrivePerception.Recording.Mcap;

/// <summary>
/// Walks the data section record by record from the end of the Header. It needs no summary, so it is how
/// files cut short are read: it stops at the first record that runs past the end of the file and notes
/// where (strict mode throws there instead, naming the fix).
/// </summary>
internal sealed class McapDataScanner
{
    private readonly McapFileSource _source;
    private readonly McapChunkDecoder _decoder;
    private readonly McapDefinitions _definitions;
    private readonly McapReaderOptions _options;

    /// <summary>Offset of the first record after the Header.</summary>
    private readonly long _dataStart;

    /// <summary>The magic and the Header record: the first bytes the data section CRC covers.</summary>
    private readonly byte[] _headerBytes;

    public McapDataScanner(
        McapFileSource source, McapChunkDecoder decoder, McapDefinitions definitions, McapReaderOptions options,
        long dataStart, byte[] headerBytes)
    {
        _source = source;
        _decoder = decoder;
        _definitions = definitions;
        _options = options;
        _dataStart = dataStart;
        _headerBytes = headerBytes;
    }

    /// <summary>
    /// Every message of the data section in file order, on <paramref name="topics"/> (all when null),
    /// registering schemas and channels on the way and checking the data section CRC at Data End.
    /// </summary>
    public IEnumerable<McapMessage> ReadMessages(HashSet<string>? topics, McapScanProgress progress)
    {
        long position = _dataStart;
        var dataCrc = new Crc32();
        dataCrc.Append(_headerBytes);
        var prefix = new byte[McapFormat.RecordPrefixLength];
        progress.ValidEnd = position;

        while (TryReadPrefix(position, prefix, progress, out var opcode, out long length))
        {
            if (opcode is McapOpcode.DataEnd or McapOpcode.Footer)
            {
                var content = _source.ReadAt(position + McapFormat.RecordPrefixLength, (int)length);
                if (opcode == McapOpcode.DataEnd)
                {
                    long dataEndOffset = position;
                    uint computed = dataCrc.GetCurrentHashAsUInt32();
                    TryParse(() => CheckDataSectionCrc(content, dataEndOffset, computed, progress), opcode, position, length, progress);
                }

                progress.ReachedDataEnd = true;
                progress.ValidEnd = position + McapFormat.RecordPrefixLength + length;
                yield break;
            }

            var record = ReadContent(position, length);
            dataCrc.Append(prefix);
            dataCrc.Append(record);

            List<ChunkMessage>? messages = null;
            McapMessage? loose = null;
            if (!TryParse(() =>
                {
                    switch (opcode)
                    {
                        case McapOpcode.Schema:
                            _definitions.Add(McapRecordParser.ParseSchema(record, position), position, progress);
                            break;
                        case McapOpcode.Channel:
                            _definitions.Add(McapRecordParser.ParseChannel(record, position), position, progress);
                            break;
                        case McapOpcode.Message:
                            loose = _decoder.CreateMessage(record, position, progress);
                            break;
                        case McapOpcode.Chunk:
                            messages = _decoder.DecodeChunk(record, position, topics, progress);
                            break;
                        default:
                            break; // Indexes, attachments, metadata and unknown opcodes carry no messages.
                    }
                }, opcode, position, length, progress))
            {
                messages = null;
                loose = null;
            }

            position += McapFormat.RecordPrefixLength + length;
            progress.ValidEnd = position;

            if (loose is not null && (topics is null || topics.Contains(loose.Channel.Topic)))
            {
                yield return loose;
            }

            if (messages is not null)
            {
                foreach (var message in messages)
                {
                    yield return message.Message;
                }
            }
        }
    }

    /// <summary>
    /// Finds the chunks of the data section by reading only their headers, for log-time reads of files
    /// without chunk indexes; schemas, channels and messages outside chunks (returned with their file offsets) are read on the way.
    /// </summary>
    public (List<ChunkLocation> Chunks, List<ChunkMessage> LooseMessages) LocateChunks(McapScanProgress progress)
    {
        var chunks = new List<ChunkLocation>();
        var loose = new List<ChunkMessage>();
        long position = _dataStart;
        var prefix = new byte[McapFormat.RecordPrefixLength];
        var startTime = new byte[8];

        while (TryReadPrefix(position, prefix, progress, out var opcode, out long length))
        {
            if (opcode is McapOpcode.DataEnd or McapOpcode.Footer)
            {
                progress.ReachedDataEnd = true;
                break;
            }

            long recordOffset = position;
            switch (opcode)
            {
                case McapOpcode.Chunk when length >= 8:
                    _source.ReadAt(position + McapFormat.RecordPrefixLength, startTime);
                    chunks.Add(new ChunkLocation(BinaryPrimitives.ReadUInt64LittleEndian(startTime), position,
                        McapFormat.RecordPrefixLength + length));
                    break;
                case McapOpcode.Schema or McapOpcode.Channel or McapOpcode.Message:
                    var record = ReadContent(position, length);
                    TryParse(() =>
                    {
                        if (opcode == McapOpcode.Schema)
                        {
                            _definitions.Add(McapRecordParser.ParseSchema(record, recordOffset), recordOffset, progress);
                        }
                        else if (opcode == McapOpcode.Channel)
                        {
                            _definitions.Add(McapRecordParser.ParseChannel(record, recordOffset), recordOffset, progress);
                        }
                        else if (_decoder.CreateMessage(record, recordOffset, progress) is { } message)
                        {
                            loose.Add(new ChunkMessage(message, recordOffset));
                        }
                    }, opcode, position, length, progress);
                    break;
                default:
                    break;
            }

            position += McapFormat.RecordPrefixLength + length;
            progress.ValidEnd = position;
        }

        return (chunks, loose);
    }

    /// <summary>
    /// Reads the opcode and length of the record at <paramref name="position"/>. False at the end of the file
    /// or when the record does not fit in it; the file was then cut short (strict mode throws).
    /// </summary>
    private bool TryReadPrefix(long position, byte[] prefix, McapScanProgress progress, out McapOpcode opcode, out long length)
    {
        opcode = 0;
        length = 0;
        long remaining = _source.Length - position;
        if (remaining >= McapFormat.RecordPrefixLength)
        {
            _source.ReadAt(position, prefix);
            opcode = (McapOpcode)prefix[0];
            ulong declared = BinaryPrimitives.ReadUInt64LittleEndian(prefix.AsSpan(1));
            if (declared <= (ulong)(remaining - McapFormat.RecordPrefixLength))
            {
                if (declared > (ulong)Array.MaxLength)
                {
                    throw new McapFormatException($"{opcode} record at offset {position} is {declared} bytes long; records over 2 GiB are not supported.", position);
                }

                length = (long)declared;
                return true;
            }
        }

        string what = remaining == 0
            ? "at a record boundary, before the Data End record"
            : remaining < McapFormat.RecordPrefixLength
                ? $"inside the prefix of a record at offset {position}"
                : $"inside a {Describe(opcode)} record at offset {position} (it claims {BinaryPrimitives.ReadUInt64LittleEndian(prefix.AsSpan(1))} bytes after its prefix; {remaining - McapFormat.RecordPrefixLength} are present)";
        if (!_options.Recover)
        {
            throw new McapFormatException(
                $"The data section ends {what}: the file was cut short (crash, full disk, copy in progress). Open it with McapReaderOptions {{ Recover = true }} to read up to the last complete record.",
                position);
        }

        progress.TruncatedAt = position;
        progress.AddProblem($"The file ends {what}.");
        return false;
    }

    private byte[] ReadContent(long position, long length) =>
        _source.ReadAt(position + McapFormat.RecordPrefixLength, (int)length);

    private void CheckDataSectionCrc(byte[] content, long position, uint computed, McapScanProgress progress)
    {
        uint stored = McapRecordParser.ParseDataEnd(content, position);
        if (!_options.ValidateCrcs || stored == 0)
        {
            return;
        }

        progress.DataSectionCrcOk = stored == computed;
        if (stored != computed)
        {
            string message = $"Data section CRC mismatch (stored 0x{stored:X8}, computed 0x{computed:X8} over bytes 0..{position}): the file was damaged after it was written.";
            if (!_options.Recover)
            {
                throw new McapCrcException(message + " Open it with McapReaderOptions { Recover = true } to read what is intact.", position, stored, computed);
            }

            progress.AddProblem(message);
        }
    }

    /// <summary>Runs <paramref name="parse"/>; in recovery mode a malformed record is skipped and counted instead of thrown.</summary>
    private bool TryParse(Action parse, McapOpcode opcode, long position, long length, McapScanProgress progress)
    {
        try
        {
            parse();
            return true;
        }
        catch (McapFormatException ex) when (_options.Recover)
        {
            progress.MalformedRecordsSkipped++;
            progress.SkippedBytes += McapFormat.RecordPrefixLength + length;
            progress.AddProblem($"Skipped malformed {Describe(opcode)} record at offset {position}: {ex.Message}");
            return false;
        }
    }

    private static string Describe(McapOpcode opcode) =>
        Enum.IsDefined(opcode) ? opcode.ToString() : $"unknown (opcode 0x{(byte)opcode:X2})";
}
