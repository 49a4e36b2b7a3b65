using DrivePerception.Core.Topics;
using DrivePerception.Node.Pipeline;
using DrivePerception.Transport;

namespace DrivePerception.Node.Hosting;

/// <summary>Sends the encoded messages through the ZeroMQ publisher (which copies the bytes and never blocks on slow subscribers).</summary>
public sealed class PublisherSink(PerceptionPublisher publisher) : IWireSink
{
    /// <inheritdoc/>
    public void Accept(Topic topic, object message, ReadOnlySpan<byte> payload) => publisher.PublishEncoded(topic, payload);
}
