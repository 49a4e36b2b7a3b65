using System.Buffers.Binary;

namespace DrivePerception.Recording.Mcap;

/// <summary>
/// Reads an MCAP recording from a seekable stream. Opening reads the Header and, when the file ends with a
/// Footer, the summary (schemas, channels, statistics, chunk indexes). <see cref="ReadMessages"/> streams
/// messages in log-time or file order, optionally for some topics only, decompressing one chunk at a time
/// (chunk indexes let it skip chunks without the wanted topics). <see cref="ReadAll"/> reads every message
/// in one pass over the data section and reports what it recovered: with <see cref="McapReaderOptions.Recover"/>,
/// a file cut short (crash, full disk: no summary, no footer, a partial last chunk) is read up to its last
/// complete record and damaged chunks are skipped and counted.
/// </summary>
/// <remarks>Not thread-safe: one reader per thread. The reader owns the stream unless it was left open.</remarks>
public sealed class McapReader : IDisposable
{
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly McapReaderOptions _options;
    private readonly McapFileSource _source;
    private readonly ChunkCodec _codec = new();

    /// <summary>Problems found while opening (recovery mode), reported by <see cref="ReadAll"/>.</summary>
    private readonly List<string> _openProblems = [];

    /// <summary>False when the file ends inside its Header (recovery mode only): there is nothing to read.</summary>
    private readonly bool _headerComplete;

    /// <summary>Offset of the first record after the Header.</summary>
    private readonly long _dataStart;

    /// <summary>The magic and the Header record (a few dozen bytes): the start of what the data section CRC covers.</summary>
    private readonly byte[] _headerBytes = [];

    /// <summary>Offset of the Footer record when <see cref="HasFooter"/>.</summary>
    private readonly long _footerOffset;

    private bool _disposed;

    /// <summary>Opens a recording on <paramref name="stream"/>, which must be readable and seekable.</summary>
    /// <exception cref="McapFormatException">The bytes are not MCAP, or (strict mode) the file is cut short or damaged.</exception>
    public McapReader(Stream stream, McapReaderOptions? options = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead || !stream.CanSeek)
        {
            throw new ArgumentException("McapReader needs a readable, seekable stream; copy a network or pipe stream into a file or MemoryStream first.", nameof(stream));
        }

        _stream = stream;
        _leaveOpen = leaveOpen;
        _options = options ?? new McapReaderOptions();
        _source = new McapFileSource(stream);
        try
        {
            (Header, _headerComplete, _dataStart, _headerBytes) = ReadHeader();
            if (_headerComplete)
            {
                (HasFooter, _footerOffset, Summary) = McapSummaryReader.Read(_source, _dataStart, _options, _openProblems);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Opens the recording at <paramref name="path"/> (shared for writing, so a recording in progress can be read with <see cref="McapReaderOptions.Recover"/>).</summary>
    public static McapReader Open(string path, McapReaderOptions? options = null)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1 << 16);
        return new McapReader(stream, options);
    }

    /// <summary>The Header record (empty strings when, in recovery mode, the file ends inside it).</summary>
    public McapHeader Header { get; }

    /// <summary>The file ends with a valid Footer and magic: the writer closed it.</summary>
    public bool HasFooter { get; }

    /// <summary>The summary section, or null when the file has none (cut short, or written without one) or, in recovery mode, it is damaged.</summary>
    public McapSummary? Summary { get; }

    /// <summary>Chunks that <see cref="ReadMessages"/> skipped as damaged (recovery mode) since this reader was opened.</summary>
    public int CorruptChunksSkipped { get; private set; }

    /// <summary>
    /// Streams the messages, decompressing one chunk at a time (in log-time order, those whose time ranges
    /// overlap the current time are held together).
    /// </summary>
    /// <param name="order">Log-time order (default) or file order.</param>
    /// <param name="topics">Only messages on these topics; all when null.</param>
    /// <exception cref="McapFormatException">Strict mode: the data is damaged or cut short.</exception>
    public IEnumerable<McapMessage> ReadMessages(McapMessageOrder order = McapMessageOrder.LogTime, IEnumerable<string>? topics = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var topicSet = topics is null ? null : new HashSet<string>(topics, StringComparer.Ordinal);
        return order == McapMessageOrder.File ? ReadInFileOrder(topicSet) : ReadInLogTimeOrder(topicSet);
    }

    /// <summary>
    /// Reads every message with one pass over the data section (the summary is not needed), checking chunk and
    /// data section CRCs, and reports what was recovered. Holds all messages in memory: for long recordings prefer
    /// <see cref="ReadMessages"/>.
    /// </summary>
    /// <param name="order">Log-time order (default; ties keep file order) or file order.</param>
    /// <exception cref="McapFormatException">Strict mode: the data is damaged or cut short.</exception>
    public McapReadResult ReadAll(McapMessageOrder order = McapMessageOrder.LogTime)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var progress = new McapScanProgress();
        var definitions = new McapDefinitions(_options.Recover);
        List<McapMessage> messages = _headerComplete
            ? CreateScanner(definitions).ReadMessages(null, progress).ToList()
            : [];
        if (order == McapMessageOrder.LogTime)
        {
            messages = messages.OrderBy(m => m.LogTime).ToList(); // OrderBy is stable: ties keep file order.
        }

        return new McapReadResult(Header, definitions.Schemas, definitions.Channels, messages, BuildReport(progress, messages.Count));
    }

    /// <summary>Disposes the stream unless it was left open.</summary>
    public void Dispose()
    {
        _disposed = true;
        _codec.Dispose();
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }

    private IEnumerable<McapMessage> ReadInFileOrder(HashSet<string>? topics)
    {
        if (!_headerComplete)
        {
            yield break;
        }

        var progress = new McapScanProgress();
        try
        {
            foreach (var message in CreateScanner(new McapDefinitions(_options.Recover)).ReadMessages(topics, progress))
            {
                yield return message;
            }
        }
        finally
        {
            CorruptChunksSkipped += progress.CorruptChunksSkipped;
        }
    }

    private IEnumerable<McapMessage> ReadInLogTimeOrder(HashSet<string>? topics)
    {
        if (!_headerComplete)
        {
            yield break;
        }

        var progress = new McapScanProgress();
        var definitions = new McapDefinitions(_options.Recover);
        var decoder = new McapChunkDecoder(_codec, definitions, _options);
        List<ChunkLocation> chunks;
        List<ChunkMessage> loose;
        if (Summary is { ChunkIndexes.Count: > 0 } summary)
        {
            foreach (var schema in summary.Schemas.Values)
            {
                definitions.Add(schema, -1, progress);
            }

            foreach (var channel in summary.Channels.Values)
            {
                definitions.Add(channel, -1, progress);
            }

            // Chunk indexes list the channels in each chunk: chunks without a wanted topic are never read.
            var wanted = topics is null
                ? null
                : summary.Channels.Values.Where(c => topics.Contains(c.Topic)).Select(c => c.Id).ToHashSet();
            chunks = summary.ChunkIndexes
                .Where(c => wanted is null || c.MessageIndexOffsets.Count == 0 || c.MessageIndexOffsets.Keys.Any(wanted.Contains))
                .Select(c => new ChunkLocation(c.MessageStartTime, (long)c.ChunkStartOffset, (long)c.ChunkLength))
                .ToList();
            loose = [];
        }
        else
        {
            (chunks, loose) = CreateScanner(definitions, decoder).LocateChunks(progress);
            loose.RemoveAll(m => topics is not null && !topics.Contains(m.Message.Channel.Topic));
        }

        try
        {
            foreach (var message in McapLogTimeMerger.Merge(chunks, loose, chunk => LoadChunk(chunk, decoder, topics, progress)))
            {
                yield return message;
            }
        }
        finally
        {
            CorruptChunksSkipped += progress.CorruptChunksSkipped;
        }
    }

    /// <summary>Reads and decodes the chunk at <paramref name="chunk"/>; null when it is damaged (recovery mode).</summary>
    private List<ChunkMessage>? LoadChunk(ChunkLocation chunk, McapChunkDecoder decoder, HashSet<string>? topics, McapScanProgress progress)
    {
        long contentLength = chunk.Length - McapFormat.RecordPrefixLength;
        if (chunk.Offset < _dataStart || contentLength < 0 || chunk.Offset + chunk.Length > _source.Length || contentLength > Array.MaxLength)
        {
            return Damaged($"Chunk index points at bytes {chunk.Offset}..{chunk.Offset + chunk.Length}, outside the data section.");
        }

        var prefix = new byte[McapFormat.RecordPrefixLength];
        _source.ReadAt(chunk.Offset, prefix);
        if (prefix[0] != (byte)McapOpcode.Chunk || BinaryPrimitives.ReadUInt64LittleEndian(prefix.AsSpan(1)) != (ulong)contentLength)
        {
            return Damaged($"Chunk index points at offset {chunk.Offset}, where there is no Chunk record of {chunk.Length} bytes.");
        }

        return decoder.DecodeChunk(_source.ReadAt(chunk.Offset + McapFormat.RecordPrefixLength, (int)contentLength), chunk.Offset, topics, progress);

        List<ChunkMessage>? Damaged(string message)
        {
            if (!_options.Recover)
            {
                throw new McapFormatException(message + " The summary does not match the data; open with McapReaderOptions { Recover = true } to read what is intact.", chunk.Offset);
            }

            progress.CorruptChunksSkipped++;
            progress.AddProblem(message);
            return null;
        }
    }

    private McapDataScanner CreateScanner(McapDefinitions definitions, McapChunkDecoder? decoder = null) =>
        new(_source, decoder ?? new McapChunkDecoder(_codec, definitions, _options), definitions, _options, _dataStart, _headerBytes);

    private (McapHeader Header, bool Complete, long DataStart, byte[] HeaderBytes) ReadHeader()
    {
        long length = _source.Length;
        var magic = McapFormat.Magic;
        var start = _source.ReadAt(0, (int)Math.Min(length, McapFormat.MagicLength));
        if (!start.AsSpan().SequenceEqual(magic[..start.Length]))
        {
            throw new McapFormatException(
                $"Not an MCAP file: it starts with {Convert.ToHexString(start)}, not the MCAP magic {Convert.ToHexString(magic)}.", 0);
        }

        int prefixEnd = McapFormat.MagicLength + McapFormat.RecordPrefixLength;
        if (length < prefixEnd)
        {
            return HeaderCut(length);
        }

        var prefix = _source.ReadAt(McapFormat.MagicLength, McapFormat.RecordPrefixLength);
        if (prefix[0] != (byte)McapOpcode.Header)
        {
            throw new McapFormatException($"The first record is opcode 0x{prefix[0]:X2}, not a Header (0x01): this is not a valid MCAP file.", McapFormat.MagicLength);
        }

        ulong contentLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix.AsSpan(1));
        if (contentLength > (ulong)(length - prefixEnd))
        {
            return HeaderCut(length);
        }

        if (contentLength > int.MaxValue)
        {
            throw new McapFormatException($"The Header record claims {contentLength} bytes; this is not a valid MCAP file.", McapFormat.MagicLength);
        }

        long dataStart = prefixEnd + (long)contentLength;
        var headerBytes = _source.ReadAt(0, (int)dataStart);
        var header = McapRecordParser.ParseHeader(headerBytes.AsSpan(prefixEnd), McapFormat.MagicLength);
        return (header, true, dataStart, headerBytes);
    }

    private (McapHeader, bool, long, byte[]) HeaderCut(long length)
    {
        string message = $"The file ends inside its Header ({length} bytes): the writer stopped before it recorded anything.";
        if (!_options.Recover)
        {
            throw new McapFormatException(message + " Open it with McapReaderOptions { Recover = true } to get an empty result with a report instead.", 0);
        }

        _openProblems.Add(message);
        return (new McapHeader("", ""), false, length, []);
    }

    private McapRecoveryReport BuildReport(McapScanProgress progress, int messageCount)
    {
        long length = _source.Length;
        long tail;
        if (!_headerComplete)
        {
            tail = length;
        }
        else if (!HasFooter)
        {
            tail = length - progress.ValidEnd;
        }
        else
        {
            // With a footer, bytes from a record that claims to run past the end up to the footer are unusable.
            tail = progress.TruncatedAt >= 0 ? _footerOffset - progress.TruncatedAt : 0;
        }

        var report = new McapRecoveryReport
        {
            FileLength = length,
            FooterPresent = HasFooter,
            SummaryPresent = Summary is not null,
            DataSectionComplete = progress.ReachedDataEnd,
            MessagesRecovered = messageCount,
            MessagesExpected = Summary?.Statistics?.MessageCount,
            ChunksRecovered = progress.ChunksRead,
            CorruptChunksSkipped = progress.CorruptChunksSkipped,
            MalformedRecordsSkipped = progress.MalformedRecordsSkipped,
            MessagesWithoutChannel = progress.MessagesWithoutChannel,
            BytesIgnored = Math.Max(0, tail) + progress.SkippedBytes,
            LastCompleteRecordEnd = _headerComplete ? progress.ValidEnd : 0,
            DataSectionCrcOk = progress.DataSectionCrcOk,
            Problems = [.. _openProblems, .. progress.Problems],
            Message = "",
        };
        return report with { Message = McapRecoveryReport.Describe(report, _headerComplete) };
    }
}
