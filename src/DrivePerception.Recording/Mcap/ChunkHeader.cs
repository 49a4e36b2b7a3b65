namespace DrivePerception.Recording.Mcap;

/// <summary>The fields of a Chunk record, and where its records field lies in the record content.</summary>
/// <param name="MessageStartTime">Earliest log time in the chunk.</param>
/// <param name="MessageEndTime">Latest log time in the chunk.</param>
/// <param name="UncompressedSize">Size of the records once decompressed.</param>
/// <param name="UncompressedCrc">CRC-32 of the decompressed records; 0 when the writer did not compute one.</param>
/// <param name="Compression">"zstd", "lz4" or "".</param>
/// <param name="Records">Position of the stored (possibly compressed) records within the record content.</param>
internal readonly record struct ChunkHeader(
    ulong MessageStartTime,
    ulong MessageEndTime,
    ulong UncompressedSize,
    uint UncompressedCrc,
    string Compression,
    Range Records);
