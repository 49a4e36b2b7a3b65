using DrivePerception.Core.Topics;

namespace DrivePerception.Node.Pipeline;

/// <summary>Where the pipeline's messages go: the ZeroMQ publisher, a recorder, or a test's list.</summary>
public interface IPerceptionSink
{
    /// <summary>Encodes and sends one message on a topic. Must not block on slow subscribers.</summary>
    void Publish(Topic topic, object message);
}
