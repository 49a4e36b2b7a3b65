namespace DrivePerception.Recording.Mcap;

/// <summary>A Chunk Index record of the summary section: where one chunk and its message indexes are.</summary>
/// <param name="MessageStartTime">Earliest log time in the chunk.</param>
/// <param name="MessageEndTime">Latest log time in the chunk.</param>
/// <param name="ChunkStartOffset">File offset of the Chunk record.</param>
/// <param name="ChunkLength">Length of the Chunk record including opcode and length prefix.</param>
/// <param name="MessageIndexOffsets">File offset of the Message Index record of each channel in the chunk.</param>
/// <param name="MessageIndexLength">Total length of the Message Index records after the chunk.</param>
/// <param name="Compression">"zstd", "lz4" or "".</param>
/// <param name="CompressedSize">Size of the chunk's records as stored.</param>
/// <param name="UncompressedSize">Size of the chunk's records once decompressed.</param>
public sealed record McapChunkIndex(
    ulong MessageStartTime,
    ulong MessageEndTime,
    ulong ChunkStartOffset,
    ulong ChunkLength,
    IReadOnlyDictionary<ushort, ulong> MessageIndexOffsets,
    ulong MessageIndexLength,
    string Compression,
    ulong CompressedSize,
    ulong UncompressedSize);
