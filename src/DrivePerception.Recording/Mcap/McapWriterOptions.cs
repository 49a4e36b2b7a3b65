using System.IO.Compression;

namespace DrivePerception.Recording.Mcap;

/// <summary>How <see cref="McapWriter"/> lays out a recording. Checked by <see cref="Validate"/> when the writer is created.</summary>
public sealed class McapWriterOptions
{
    /// <summary>Smallest accepted <see cref="ChunkSize"/>: 1 KiB.</summary>
    public const int MinChunkSize = 1024;

    /// <summary>Largest accepted <see cref="ChunkSize"/>: 256 MiB.</summary>
    public const int MaxChunkSize = 256 * 1024 * 1024;

    /// <summary>Chunk compression. Default <see cref="McapCompression.Zstd"/>.</summary>
    public McapCompression Compression { get; init; } = McapCompression.Zstd;

    /// <summary>
    /// Speed/size trade-off of the codec. Default <see cref="CompressionLevel.Optimal"/> (zstd level 3,
    /// LZ4 fast); <see cref="CompressionLevel.Fastest"/> is zstd level 1; <see cref="CompressionLevel.SmallestSize"/>
    /// is zstd 19 / LZ4 HC max (meant for archiving, not live recording). Ignored for <see cref="McapCompression.None"/>.
    /// </summary>
    public CompressionLevel CompressionLevel { get; init; } = CompressionLevel.Optimal;

    /// <summary>
    /// Uncompressed bytes of records gathered before a chunk is compressed and written. Default 1 MiB, range
    /// [<see cref="MinChunkSize"/>, <see cref="MaxChunkSize"/>]. A crash loses at most the open chunk, so smaller
    /// chunks lose less and compress a little worse. A message larger than this gets a chunk of its own.
    /// </summary>
    public int ChunkSize { get; init; } = 1024 * 1024;

    /// <summary>Header profile. Default "" (none); custom profiles should start with "x-".</summary>
    public string Profile { get; init; } = "";

    /// <summary>Header library string. Default "DrivePerception.Recording".</summary>
    public string Library { get; init; } = "DrivePerception.Recording";

    /// <summary>
    /// Flush the stream after each chunk (default true), so that a process crash loses at most the open chunk.
    /// This hands the bytes to the operating system; it does not fsync.
    /// </summary>
    public bool FlushAfterChunk { get; init; } = true;

    /// <summary>Throws <see cref="ArgumentException"/> naming the setting and its accepted range when a value is out of range.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Compression))
        {
            throw new ArgumentOutOfRangeException(nameof(Compression), Compression, "Compression must be None, Zstd or Lz4.");
        }

        if (!Enum.IsDefined(CompressionLevel))
        {
            throw new ArgumentOutOfRangeException(nameof(CompressionLevel), CompressionLevel, "CompressionLevel must be a defined System.IO.Compression.CompressionLevel.");
        }

        if (ChunkSize is < MinChunkSize or > MaxChunkSize)
        {
            throw new ArgumentOutOfRangeException(nameof(ChunkSize), ChunkSize,
                $"ChunkSize must be between {MinChunkSize} and {MaxChunkSize} bytes; 1 MiB (1048576) is a good default.");
        }

        ArgumentNullException.ThrowIfNull(Profile, nameof(Profile));
        ArgumentNullException.ThrowIfNull(Library, nameof(Library));
    }
}
