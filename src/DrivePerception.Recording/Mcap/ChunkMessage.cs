namespace DrivePerception.Recording.Mcap;

/// <summary>A message and where it sits: the offset of its record inside its chunk's records (or 0 outside chunks).</summary>
internal readonly record struct ChunkMessage(McapMessage Message, long InnerOffset);
