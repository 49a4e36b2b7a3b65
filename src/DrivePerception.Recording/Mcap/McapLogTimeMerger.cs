namespace DrivePerception.Recording.Mcap;

/// <summary>
/// Merges the messages of many chunks into log-time order while holding only the chunks whose time ranges
/// are current: a chunk is decompressed when the merge reaches its start time and dropped when its last
/// message has gone out. Ties go to file order (chunk offset, then offset inside the chunk), so the order is
/// the same however the chunks overlap.
/// </summary>
internal static class McapLogTimeMerger
{
    /// <param name="chunks">Chunks to merge, in any order.</param>
    /// <param name="looseMessages">Messages outside chunks, each with its record's file offset as <see cref="ChunkMessage.InnerOffset"/>.</param>
    /// <param name="loadChunk">Decodes a chunk's messages (null when it was damaged and skipped).</param>
    public static IEnumerable<McapMessage> Merge(
        IEnumerable<ChunkLocation> chunks,
        List<ChunkMessage> looseMessages,
        Func<ChunkLocation, List<ChunkMessage>?> loadChunk)
    {
        // Key: (log time, file offset of the chunk or loose record, offset inside the chunk). -1 sorts a
        // chunk that is not loaded yet before its own messages, so it is loaded before any of them is due.
        var queue = new PriorityQueue<Cursor, (ulong LogTime, long FileOffset, long Inner)>();
        foreach (var chunk in chunks)
        {
            queue.Enqueue(new Cursor(chunk), (chunk.StartTime, chunk.Offset, -1));
        }

        if (looseMessages.Count > 0)
        {
            var cursor = new Cursor(looseMessages);
            queue.Enqueue(cursor, cursor.Key);
        }

        while (queue.TryDequeue(out var cursor, out _))
        {
            if (!cursor.IsLoaded)
            {
                cursor.Load(loadChunk(cursor.Location));
            }
            else
            {
                yield return cursor.Current.Message;
                cursor.Advance();
            }

            if (cursor.HasCurrent)
            {
                queue.Enqueue(cursor, cursor.Key);
            }
        }
    }

    /// <summary>Position in one chunk's messages (sorted by log time, then record offset), or in the loose messages.</summary>
    private sealed class Cursor
    {
        private readonly bool _isLoose;
        private List<ChunkMessage>? _messages;
        private int _next;

        public Cursor(ChunkLocation location)
        {
            Location = location;
        }

        public Cursor(List<ChunkMessage> looseMessages)
        {
            _isLoose = true;
            Load(looseMessages);
        }

        public ChunkLocation Location { get; }

        public bool IsLoaded => _messages is not null;

        public bool HasCurrent => _messages is not null && _next < _messages.Count;

        public ChunkMessage Current => _messages![_next];

        /// <summary>For loose messages the inner offset is the record's file offset, so it doubles as the tie-breaker.</summary>
        public (ulong, long, long) Key => _isLoose
            ? (Current.Message.LogTime, Current.InnerOffset, 0)
            : (Current.Message.LogTime, Location.Offset, Current.InnerOffset);

        public void Load(List<ChunkMessage>? messages)
        {
            _messages = messages ?? [];
            // List.Sort is not stable; the record offset makes every key unique, so the result is deterministic.
            _messages.Sort(static (a, b) =>
            {
                int byTime = a.Message.LogTime.CompareTo(b.Message.LogTime);
                return byTime != 0 ? byTime : a.InnerOffset.CompareTo(b.InnerOffset);
            });
        }

        public void Advance()
        {
            _next++;
            if (_next == _messages!.Count)
            {
                _messages = []; // Let the chunk's buffer go as soon as its last message is out.
                _next = 0;
            }
        }
    }
}
