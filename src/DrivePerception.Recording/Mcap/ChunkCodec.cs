using System.Buffers;
using System.IO.Compression;
using K4os.Compression.LZ4;
using K4os.Compression.LZ4.Streams;
using ZstdSharp;

namespace DrivePerception.Recording.Mcap;

/// <summary>
/// Compresses and decompresses chunk records with the codecs MCAP names: "zstd" (a Zstandard frame, via
/// ZstdSharp.Port), "lz4" (an LZ4 frame, via K4os.Compression.LZ4.Streams) and "" (stored). One instance per
/// writer or reader, used from one thread: it keeps the Zstandard contexts and the output buffers.
/// </summary>
internal sealed class ChunkCodec : IDisposable
{
    /// <summary>The spec's compression strings.</summary>
    public const string ZstdName = "zstd";
    public const string Lz4Name = "lz4";
    public const string NoneName = "";

    private readonly int _zstdLevel;
    private readonly LZ4Level _lz4Level;

    /// <summary>Created on first use and reused: a Zstandard context holds large tables that are costly to set up per chunk.</summary>
    private Compressor? _zstdCompressor;
    private Decompressor? _zstdDecompressor;

    /// <summary>Compressed output of the last <see cref="Compress"/>; reused, owned by this codec.</summary>
    private byte[] _compressed = [];
    private readonly ArrayBufferWriter<byte> _lz4Output = new();

    public ChunkCodec(CompressionLevel level = CompressionLevel.Optimal)
    {
        // Optimal is zstd's own default level (3); Fastest is its lowest positive level.
        (_zstdLevel, _lz4Level) = level switch
        {
            CompressionLevel.Fastest => (1, LZ4Level.L00_FAST),
            CompressionLevel.SmallestSize => (19, LZ4Level.L12_MAX),
            _ => (3, LZ4Level.L00_FAST),
        };
    }

    /// <summary>The compression string written into Chunk records for <paramref name="compression"/>.</summary>
    public static string NameOf(McapCompression compression) => compression switch
    {
        McapCompression.Zstd => ZstdName,
        McapCompression.Lz4 => Lz4Name,
        _ => NoneName,
    };

    /// <summary>
    /// Compresses <paramref name="records"/>. The result is valid until the next call. When compression does
    /// not make the chunk smaller (JPEG payloads, random data) the records are stored as they are and the
    /// returned name is "", which costs readers nothing to decode.
    /// </summary>
    public (string Name, ReadOnlyMemory<byte> Bytes) Compress(McapCompression compression, ReadOnlyMemory<byte> records)
    {
        ReadOnlyMemory<byte> compressed;
        switch (compression)
        {
            case McapCompression.Zstd:
                _zstdCompressor ??= new Compressor(_zstdLevel);
                int bound = Compressor.GetCompressBound(records.Length);
                if (_compressed.Length < bound)
                {
                    _compressed = new byte[bound];
                }

                int written = _zstdCompressor.Wrap(records.Span, _compressed);
                compressed = _compressed.AsMemory(0, written);
                break;
            case McapCompression.Lz4:
                _lz4Output.ResetWrittenCount();
                LZ4Frame.Encode(records.Span, _lz4Output, _lz4Level);
                compressed = _lz4Output.WrittenMemory;
                break;
            default:
                return (NoneName, records);
        }

        return compressed.Length < records.Length ? (NameOf(compression), compressed) : (NoneName, records);
    }

    /// <summary>
    /// Decompresses a chunk's records into a new array of exactly <paramref name="uncompressedSize"/> bytes
    /// (for "" the stored bytes are returned as they are, without a copy).
    /// </summary>
    /// <exception cref="McapFormatException">Unknown compression, corrupt data, or a size other than promised.</exception>
    public ReadOnlyMemory<byte> Decompress(string compression, ReadOnlyMemory<byte> stored, ulong uncompressedSize, long chunkOffset)
    {
        if (uncompressedSize > (ulong)Array.MaxLength)
        {
            throw new McapFormatException(
                $"Chunk at offset {chunkOffset} claims {uncompressedSize} uncompressed bytes, more than one buffer can hold.", chunkOffset);
        }

        int size = (int)uncompressedSize;
        int produced;
        ReadOnlyMemory<byte> result;
        try
        {
            switch (compression)
            {
                case NoneName:
                    result = stored;
                    produced = stored.Length;
                    break;
                case ZstdName:
                    _zstdDecompressor ??= new Decompressor();
                    var zstdOutput = new byte[size];
                    produced = _zstdDecompressor.Unwrap(stored.Span, zstdOutput);
                    result = zstdOutput;
                    break;
                case Lz4Name:
                    var lz4Output = new ArrayBufferWriter<byte>(Math.Max(1, size));
                    LZ4Frame.Decode(stored.Span, lz4Output);
                    produced = lz4Output.WrittenCount;
                    result = lz4Output.WrittenMemory;
                    break;
                default:
                    throw new McapFormatException(
                        $"Chunk at offset {chunkOffset} uses compression '{compression}', which this reader does not support (it reads \"zstd\", \"lz4\" and \"\").",
                        chunkOffset);
            }
        }
        catch (Exception ex) when (ex is not McapFormatException)
        {
            throw new McapFormatException(
                $"Chunk at offset {chunkOffset} could not be decompressed with '{compression}': {ex.Message.TrimEnd('.')}.", chunkOffset, ex);
        }

        if (produced != size)
        {
            throw new McapFormatException(
                $"Chunk at offset {chunkOffset} decompressed to {produced} bytes but its header says {size}.", chunkOffset);
        }

        return result;
    }

    public void Dispose()
    {
        _zstdCompressor?.Dispose();
        _zstdDecompressor?.Dispose();
    }
}
