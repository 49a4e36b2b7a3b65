using DrivePerception.Core.Messages;
using DrivePerception.Core.Topics;
using DrivePerception.Node.Pipeline;
using DrivePerception.Transport;

namespace DrivePerception.Node.Hosting;

/// <summary>Sends the pipeline's messages through the ZeroMQ publisher (which never blocks on slow subscribers).</summary>
public sealed class PublisherSink(PerceptionPublisher publisher) : IPerceptionSink
{
    /// <inheritdoc/>
    public void Publish(Topic topic, object message)
    {
        // The publisher encodes by the static type, which must be the topic's payload type.
        _ = message switch
        {
            LaneMessage m => publisher.Publish(topic, m),
            InstanceMessage m => publisher.Publish(topic, m),
            ClassMapMessage m => publisher.Publish(topic, m),
            StatusMessage m => publisher.Publish(topic, m),
            _ => throw new ArgumentException($"No wire encoding for {message.GetType().Name} on {topic.Name}."),
        };
    }
}
