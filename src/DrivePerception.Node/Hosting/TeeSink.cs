using DrivePerception.Core.Topics;
using DrivePerception.Node.Pipeline;

namespace DrivePerception.Node.Hosting;

/// <summary>Sends every message to two sinks (the publisher and a recorder).</summary>
public sealed class TeeSink(IPerceptionSink first, IPerceptionSink second) : IPerceptionSink
{
    /// <inheritdoc/>
    public void Publish(Topic topic, object message)
    {
        first.Publish(topic, message);
        second.Publish(topic, message);
    }
}
