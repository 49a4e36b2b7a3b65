namespace DrivePerception.Node.Pipeline;

/// <summary>
/// Lets pipelines on several threads hand their encoded messages to the same sinks: a ZeroMQ socket and a recording
/// are each usable from one thread at a time, so every <see cref="Accept"/> of every camera takes one shared lock.
/// Held only for the send (non-blocking on the socket) or the append, not for inference or encoding.
/// </summary>
public sealed class SerializedWireSink(IWireSink inner, Lock gate) : IWireSink
{
    /// <inheritdoc/>
    public void Accept(Core.Topics.Topic topic, object message, ReadOnlySpan<byte> payload)
    {
        lock (gate) inner.Accept(topic, message, payload);
    }
}
