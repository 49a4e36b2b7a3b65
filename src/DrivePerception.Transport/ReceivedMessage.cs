using DrivePerception.Core.Messages;
using DrivePerception.Core.Topics;
using MessagePack;

namespace DrivePerception.Transport;

/// <summary>
/// One message as it came off the socket: its topic, its payload bytes and the local receive time. The
/// typed message is decoded on first use and kept. Not thread-safe: hand it to one consumer at a time.
/// </summary>
public sealed class ReceivedMessage
{
    private object? _decoded;

    /// <summary>
    /// Wraps a payload received (or replayed) on <paramref name="topic"/>, which must be a registered topic.
    /// The message takes ownership of <paramref name="payload"/>: the caller must not change it afterwards.
    /// </summary>
    public ReceivedMessage(string topic, byte[] payload, long receivedMonoNs)
    {
        ArgumentNullException.ThrowIfNull(payload);
        TopicInfo = TopicRegistry.Get(topic);
        Payload = payload;
        ReceivedMonoNs = receivedMonoNs;
    }

    /// <summary>Topic name, e.g. <c>perception/lanes</c>.</summary>
    public string Topic => TopicInfo.Name;

    /// <summary>The topic's registry entry (payload type, rate).</summary>
    public Topic TopicInfo { get; }

    /// <summary>The MessagePack payload; owned by this message.</summary>
    public byte[] Payload { get; }

    /// <summary>When this process received it, on <see cref="Core.Frames.MonotonicClock"/>.</summary>
    public long ReceivedMonoNs { get; }

    /// <summary>
    /// The payload as <typeparamref name="T"/>, which must be the topic's payload type (e.g.
    /// <c>As&lt;LaneMessage&gt;()</c> on <c>perception/lanes</c>). Throws <see cref="PayloadDecodeException"/>
    /// naming the topic when the payload is corrupt, of another schema version or has inconsistent masks.
    /// </summary>
    public T As<T>() where T : class
    {
        if (typeof(T) != TopicInfo.PayloadType)
            throw new InvalidOperationException(
                $"{Topic} carries {TopicInfo.PayloadType.Name}; call As<{TopicInfo.PayloadType.Name}>() (asked for {typeof(T).Name}).");
        return (T)Decode();
    }

    /// <summary>The payload decoded to the topic's payload type, as <see cref="object"/>; same errors as <see cref="As{T}"/>.</summary>
    public object Decode()
    {
        if (_decoded is not null) return _decoded;
        object? message;
        try
        {
            if (WireShapeCheck.FindProblem(TopicInfo.PayloadType, Payload) is { } missing) throw Corrupt($"not a valid {TopicInfo.PayloadType.Name}: {missing}");
            message = MessagePackSerializer.Deserialize(TopicInfo.PayloadType, Payload, WireCodec.Options);
        }
        catch (Exception e) when (e is not PayloadDecodeException and not OutOfMemoryException)
        {
            // MessagePack wraps most failures in MessagePackSerializationException, but bytes from outside can also
            // end the reader early or overflow a number: whatever the bytes, the caller gets one exception type.
            throw Corrupt($"not a valid {TopicInfo.PayloadType.Name}: {Innermost(e).Message.TrimEnd('.')}", e);
        }
        if (message is null) throw Corrupt("the payload is MessagePack nil");
        if (WirePayloadCheck.FindProblem(message) is { } problem) throw Corrupt(problem);
        _decoded = message;
        return message;
    }

    private PayloadDecodeException Corrupt(string problem, Exception? inner = null) =>
        new(Topic, $"Unreadable payload on {Topic} ({Payload.Length} bytes): {problem}. " +
                   "Is the publisher a drive-perception node of the same wire schema (docs/WIRE.md)?", inner);

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null) e = e.InnerException;
        return e;
    }
}
