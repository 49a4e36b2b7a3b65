using System.IO.Hashing;

namespace DrivePerception.Recording.Mcap;

/// <summary>
/// Writes an MCAP recording (https://mcap.dev/spec) to a stream: magic and Header, then Schema and Channel
/// records as they are registered, then messages gathered into compressed Chunk records each followed by its
/// Message Index records; <see cref="Dispose"/> writes Data End (with the data section CRC), the summary
/// (schemas, channels, statistics, chunk indexes), the summary offsets, the Footer (with the summary CRC)
/// and the closing magic.
/// </summary>
/// <remarks>
/// <para>Not thread-safe: call it from one thread (the recorder's). <see cref="Write(ushort, uint, ulong, ulong, ReadOnlySpan{byte})"/>
/// copies the payload into the open chunk and returns; every <see cref="McapWriterOptions.ChunkSize"/> bytes it
/// compresses and writes a chunk on the calling thread, so a latency-critical caller should hand messages to a
/// recorder thread rather than write from its hot path.</para>
/// <para>Crash safety: Schema and Channel records go to the stream outside chunks as soon as they are
/// registered, and each chunk is written whole and (by default) flushed. A process that dies leaves a file
/// without summary or footer whose complete chunks <see cref="McapReader.ReadAll"/> recovers with
/// <see cref="McapReaderOptions.Recover"/>; only the open chunk is lost.</para>
/// <para>The stream need not be seekable: the writer counts the bytes it writes.</para>
/// </remarks>
public sealed class McapWriter : IDisposable
{
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly McapWriterOptions _options;
    private readonly ChunkCodec _codec;

    /// <summary>Top-level records staged before they go to the stream; reused.</summary>
    private readonly McapRecordBuffer _records = new();

    /// <summary>Uncompressed records of the open chunk; reused from chunk to chunk.</summary>
    private readonly McapRecordBuffer _chunk;

    private readonly List<McapSchema> _schemas = [];
    private readonly Dictionary<ushort, McapChannel> _channels = [];

    /// <summary>Next sequence number per channel, for the overload that assigns them.</summary>
    private readonly Dictionary<ushort, uint> _nextSequence = [];

    /// <summary>Message index entries (log time, offset in the uncompressed chunk) of the open chunk per channel.</summary>
    private readonly Dictionary<ushort, List<(ulong LogTime, ulong Offset)>> _chunkEntries = [];

    /// <summary>Channels of the open chunk in the order their first message arrived (the order of its Message Index records).</summary>
    private readonly List<ushort> _chunkChannels = [];

    private readonly List<McapChunkIndex> _chunkIndexes = [];
    private readonly Dictionary<ushort, ulong> _channelMessageCounts = [];

    private ulong _chunkStartTime;
    private ulong _chunkEndTime;
    private int _chunkMessageCount;

    private ulong _messageStartTime;
    private ulong _messageEndTime;

    /// <summary>Running CRC-32 of every byte written before Data End (the data section CRC; it includes magic and Header as the reference writers do).</summary>
    private readonly Crc32 _dataSectionCrc = new();

    private ushort _nextSchemaId = 1;
    private ushort _nextChannelId = 1;
    private bool _disposed;

    /// <summary>Starts a recording on <paramref name="stream"/> and writes its magic and Header.</summary>
    /// <param name="stream">Writable stream; the writer disposes it unless <paramref name="leaveOpen"/>.</param>
    /// <param name="options">Layout options; defaults when null. Validated here.</param>
    /// <param name="leaveOpen">Leave <paramref name="stream"/> open after <see cref="Dispose"/>.</param>
    public McapWriter(Stream stream, McapWriterOptions? options = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanWrite)
        {
            throw new ArgumentException("The stream must be writable.", nameof(stream));
        }

        _options = options ?? new McapWriterOptions();
        _options.Validate();
        _stream = stream;
        _leaveOpen = leaveOpen;
        _codec = new ChunkCodec(_options.CompressionLevel);
        _chunk = new McapRecordBuffer(_options.ChunkSize + 1024);

        _records.WriteRaw(McapFormat.Magic);
        McapRecordSerializer.WriteHeader(_records, new McapHeader(_options.Profile, _options.Library));
        EmitRecords(dataSection: true);
    }

    /// <summary>Creates (or overwrites) the file at <paramref name="path"/> and starts a recording in it.</summary>
    /// <remarks>The file is shared for reading, so a reader with <see cref="McapReaderOptions.Recover"/> can follow a recording in progress.</remarks>
    public static McapWriter Create(string path, McapWriterOptions? options = null)
    {
        var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 1 << 16);
        try
        {
            return new McapWriter(stream, options);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Messages written so far.</summary>
    public ulong MessageCount { get; private set; }

    /// <summary>Chunks written to the stream so far (the open chunk not included).</summary>
    public int ChunkCount => _chunkIndexes.Count;

    /// <summary>Bytes written to the stream so far (the open chunk not included).</summary>
    public long BytesWritten { get; private set; }

    /// <summary>
    /// Registers a schema and writes its Schema record.
    /// </summary>
    /// <param name="name">Type name, e.g. "foxglove.CompressedImage" or "drive_perception.LaneMessage".</param>
    /// <param name="encoding">Schema language: "jsonschema", "protobuf"...; "" for a named type with no schema text (then <paramref name="data"/> must be empty).</param>
    /// <param name="data">The schema itself, in <paramref name="encoding"/>.</param>
    /// <returns>The schema id (from 1) to pass to <see cref="RegisterChannel"/>.</returns>
    public ushort RegisterSchema(string name, string encoding, ReadOnlySpan<byte> data)
    {
        ThrowIfDisposed();
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(encoding);
        if (encoding.Length == 0 && !data.IsEmpty)
        {
            throw new ArgumentException(
                $"Schema '{name}' has encoding \"\" (no schema) but {data.Length} bytes of data; the spec requires empty data. Pass an encoding such as \"jsonschema\", or no data.",
                nameof(data));
        }

        if (_schemas.Count == ushort.MaxValue)
        {
            throw new InvalidOperationException("An MCAP file holds at most 65535 schemas.");
        }

        var schema = new McapSchema(_nextSchemaId++, name, encoding, data.ToArray());
        _schemas.Add(schema);
        McapRecordSerializer.WriteSchema(_records, schema);
        EmitRecords(dataSection: true);
        return schema.Id;
    }

    /// <summary>Registers a channel and writes its Channel record.</summary>
    /// <param name="topic">Topic name, e.g. "/camera/front/image".</param>
    /// <param name="messageEncoding">"json", "cbor", "protobuf", <see cref="McapEncodings.MessagePack"/>...</param>
    /// <param name="schemaId">Id from <see cref="RegisterSchema"/>, or 0 for none.</param>
    /// <param name="metadata">Free key/value pairs about the channel; none when null.</param>
    /// <returns>The channel id (from 1) to pass to <see cref="Write(ushort, uint, ulong, ulong, ReadOnlySpan{byte})"/>.</returns>
    public ushort RegisterChannel(string topic, string messageEncoding, ushort schemaId = 0, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ThrowIfDisposed();
        ArgumentException.ThrowIfNullOrEmpty(topic);
        ArgumentException.ThrowIfNullOrEmpty(messageEncoding);
        if (schemaId != 0 && schemaId >= _nextSchemaId)
        {
            throw new ArgumentException(
                $"Channel '{topic}' refers to schema {schemaId}, which was never registered; register it with RegisterSchema first, or pass 0 for no schema.",
                nameof(schemaId));
        }

        if (_channels.Count == ushort.MaxValue)
        {
            throw new InvalidOperationException("This writer numbers channels 1..65535; a file cannot hold more.");
        }

        var channel = new McapChannel(_nextChannelId++, schemaId, topic, messageEncoding,
            metadata is null ? new Dictionary<string, string>() : new Dictionary<string, string>(metadata));
        _channels.Add(channel.Id, channel);
        McapRecordSerializer.WriteChannel(_records, channel);
        EmitRecords(dataSection: true);
        return channel.Id;
    }

    /// <summary>Appends a message to the open chunk, writing the chunk out when it reaches the chunk size.</summary>
    /// <param name="channelId">Id from <see cref="RegisterChannel"/>.</param>
    /// <param name="sequence">Publisher's sequence number (the frame id, for camera frames).</param>
    /// <param name="logTimeNs">Nanoseconds when the message was recorded; readers sort by it.</param>
    /// <param name="publishTimeNs">Nanoseconds when the message was published (use <paramref name="logTimeNs"/> when unknown).</param>
    /// <param name="data">Payload, copied before the call returns.</param>
    public void Write(ushort channelId, uint sequence, ulong logTimeNs, ulong publishTimeNs, ReadOnlySpan<byte> data)
    {
        ThrowIfDisposed();
        if (!_channels.ContainsKey(channelId))
        {
            throw new ArgumentException(
                $"Channel {channelId} was never registered; register it with RegisterChannel first.", nameof(channelId));
        }

        long recordLength = McapFormat.RecordPrefixLength + McapFormat.MessageFieldsLength + (long)data.Length;
        if (_chunk.Length > 0 && _chunk.Length + recordLength > _options.ChunkSize)
        {
            // Close the chunk before it would pass the size, so chunks stay under ChunkSize unless one message is larger.
            WriteChunk();
        }

        if (_chunkMessageCount == 0)
        {
            _chunkStartTime = logTimeNs;
            _chunkEndTime = logTimeNs;
        }
        else
        {
            _chunkStartTime = Math.Min(_chunkStartTime, logTimeNs);
            _chunkEndTime = Math.Max(_chunkEndTime, logTimeNs);
        }

        if (!_chunkEntries.TryGetValue(channelId, out var entries))
        {
            entries = [];
            _chunkEntries.Add(channelId, entries);
        }

        if (entries.Count == 0)
        {
            _chunkChannels.Add(channelId);
        }

        entries.Add((logTimeNs, (ulong)_chunk.Length));
        McapRecordSerializer.WriteMessage(_chunk, channelId, sequence, logTimeNs, publishTimeNs, data);
        _chunkMessageCount++;

        _messageStartTime = MessageCount == 0 ? logTimeNs : Math.Min(_messageStartTime, logTimeNs);
        _messageEndTime = MessageCount == 0 ? logTimeNs : Math.Max(_messageEndTime, logTimeNs);
        MessageCount++;
        _channelMessageCounts[channelId] = _channelMessageCounts.GetValueOrDefault(channelId) + 1;
        _nextSequence[channelId] = sequence + 1;

        if (_chunk.Length >= _options.ChunkSize)
        {
            WriteChunk();
        }
    }

    /// <summary>
    /// Appends a message whose sequence number the writer assigns (one more than the last on the channel,
    /// from 0) and whose publish time is its log time.
    /// </summary>
    public void Write(ushort channelId, ulong logTimeNs, ReadOnlySpan<byte> data) =>
        Write(channelId, _nextSequence.GetValueOrDefault(channelId), logTimeNs, logTimeNs, data);

    /// <summary>
    /// Writes the open chunk now, even if it is small, and flushes the stream: everything written so far
    /// survives a crash from here on. Call it on a timer when messages are rare, to bound what a crash loses.
    /// </summary>
    public void Flush()
    {
        ThrowIfDisposed();
        WriteChunk();
        _stream.Flush();
    }

    /// <summary>Writes the open chunk, the summary and the footer, then disposes the stream unless it was left open.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            WriteChunk();
            WriteSummaryAndFooter();
            _stream.Flush();
        }
        finally
        {
            _codec.Dispose();
            if (!_leaveOpen)
            {
                _stream.Dispose();
            }
        }
    }

    /// <summary>Compresses the open chunk and writes it with its Message Index records; no-op when it is empty.</summary>
    private void WriteChunk()
    {
        if (_chunk.Length == 0)
        {
            return;
        }

        // The chunk buffer is not written again until the chunk is out, so a view of it is safe until then.
        var records = _chunk.WrittenMemory;
        uint uncompressedCrc = Crc32.HashToUInt32(records.Span);
        var (compression, stored) = _codec.Compress(_options.Compression, records);

        long chunkStart = BytesWritten;
        McapRecordSerializer.WriteChunkPrefix(_records, _chunkStartTime, _chunkEndTime, (ulong)records.Length,
            uncompressedCrc, compression, stored.Length);
        EmitRecords(dataSection: true);
        Emit(stored.Span, dataSection: true);
        long chunkLength = BytesWritten - chunkStart;

        var indexOffsets = new Dictionary<ushort, ulong>(_chunkChannels.Count);
        long indexStart = BytesWritten;
        foreach (ushort channelId in _chunkChannels)
        {
            indexOffsets.Add(channelId, (ulong)(indexStart + _records.Length));
            McapRecordSerializer.WriteMessageIndex(_records, channelId, _chunkEntries[channelId]);
            _chunkEntries[channelId].Clear();
        }

        EmitRecords(dataSection: true);

        _chunkIndexes.Add(new McapChunkIndex(
            _chunkStartTime, _chunkEndTime, (ulong)chunkStart, (ulong)chunkLength, indexOffsets,
            (ulong)(BytesWritten - indexStart), compression, (ulong)stored.Length, (ulong)records.Length));

        _chunk.Clear();
        _chunkChannels.Clear();
        _chunkMessageCount = 0;
        if (_options.FlushAfterChunk)
        {
            _stream.Flush();
        }
    }

    private void WriteSummaryAndFooter()
    {
        McapRecordSerializer.WriteDataEnd(_records, _dataSectionCrc.GetCurrentHashAsUInt32());
        EmitRecords(dataSection: false);

        long summaryStart = BytesWritten;
        var summaryCrc = new Crc32();
        var groups = new List<(McapOpcode Opcode, long Start, long Length)>();

        void EmitGroup(McapOpcode opcode, Action writeRecords)
        {
            long start = BytesWritten;
            writeRecords();
            if (_records.Length == 0)
            {
                return;
            }

            summaryCrc.Append(_records.WrittenSpan);
            EmitRecords(dataSection: false);
            groups.Add((opcode, start, BytesWritten - start));
        }

        EmitGroup(McapOpcode.Schema, () => _schemas.ForEach(s => McapRecordSerializer.WriteSchema(_records, s)));
        EmitGroup(McapOpcode.Channel, () =>
        {
            foreach (var channel in _channels.Values)
            {
                McapRecordSerializer.WriteChannel(_records, channel);
            }
        });
        EmitGroup(McapOpcode.Statistics, () => McapRecordSerializer.WriteStatistics(_records, new McapStatistics(
            MessageCount, (ushort)_schemas.Count, (uint)_channels.Count, AttachmentCount: 0, MetadataCount: 0,
            (uint)_chunkIndexes.Count, _messageStartTime, _messageEndTime, _channelMessageCounts)));
        EmitGroup(McapOpcode.ChunkIndex, () => _chunkIndexes.ForEach(c => McapRecordSerializer.WriteChunkIndex(_records, c)));

        long summaryOffsetStart = BytesWritten;
        foreach (var (opcode, start, length) in groups)
        {
            McapRecordSerializer.WriteSummaryOffset(_records, opcode, (ulong)start, (ulong)length);
        }

        McapRecordSerializer.WriteFooterPrefix(_records, (ulong)summaryStart, (ulong)summaryOffsetStart);
        summaryCrc.Append(_records.WrittenSpan);
        _records.WriteUInt32(summaryCrc.GetCurrentHashAsUInt32());
        _records.WriteRaw(McapFormat.Magic);
        EmitRecords(dataSection: false);
    }

    /// <summary>Writes the staged records and clears the staging buffer.</summary>
    private void EmitRecords(bool dataSection)
    {
        Emit(_records.WrittenSpan, dataSection);
        _records.Clear();
    }

    private void Emit(ReadOnlySpan<byte> bytes, bool dataSection)
    {
        _stream.Write(bytes);
        BytesWritten += bytes.Length;
        if (dataSection)
        {
            _dataSectionCrc.Append(bytes);
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
