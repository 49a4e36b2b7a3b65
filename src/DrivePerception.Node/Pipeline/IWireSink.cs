using DrivePerception.Core.Topics;

namespace DrivePerception.Node.Pipeline;

/// <summary>
/// Where a message goes once <see cref="WireEncoder"/> has turned it into wire bytes: the ZeroMQ publisher, a drive
/// recorder. Every sink gets the same bytes, encoded once.
/// </summary>
public interface IWireSink
{
    /// <summary>
    /// Takes one encoded message. <paramref name="payload"/> is valid only during the call (the encoder reuses its
    /// buffer): copy what must outlive it. <paramref name="message"/> is the object it was encoded from, for metadata
    /// (sequence, times); never re-encode it. Must not block on slow subscribers or a slow disk.
    /// </summary>
    void Accept(Topic topic, object message, ReadOnlySpan<byte> payload);
}
