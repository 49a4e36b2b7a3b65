namespace DrivePerception.Recording.Mcap;

/// <summary>Where a chunk is, from a Chunk Index record or from the Chunk record's own header.</summary>
/// <param name="StartTime">Earliest log time in the chunk.</param>
/// <param name="Offset">File offset of the Chunk record.</param>
/// <param name="Length">Length of the Chunk record, opcode and length prefix included.</param>
internal readonly record struct ChunkLocation(ulong StartTime, long Offset, long Length);
