using System.Buffers;
using DrivePerception.Core.Frames;
using DrivePerception.Core.Messages;
using DrivePerception.Core.Topics;
using DrivePerception.Node.Pipeline;

namespace DrivePerception.Node.Benchmarking;

/// <summary>
/// Encodes every message to MessagePack exactly as the publisher does (the wire codec, by the topic's payload type,
/// into a reused buffer) and drops the bytes: the bench measures encoding without a socket. It times the encoding
/// of each frame's messages, which the pipeline cannot (a message cannot carry the time of its own serialisation).
/// Used from one pipeline thread only.
/// </summary>
public sealed class DiscardingWireSink : IPerceptionSink
{
    /// <summary>Reused for every message, as the publisher's buffer is; its bytes are overwritten by the next message.</summary>
    private readonly ArrayBufferWriter<byte> _payload = new(64 * 1024);
    private long _frameEncodeNs;
    private long _frameEncodeEndNs;

    /// <summary>Messages encoded, status included.</summary>
    public long Messages { get; private set; }

    /// <summary>Payload bytes encoded, status included.</summary>
    public long Bytes { get; private set; }

    /// <inheritdoc/>
    public void Publish(Topic topic, object message)
    {
        long start = MonotonicClock.NowNs();
        _payload.ResetWrittenCount();
        // The codec writes the fields of the static type, which must be the topic's payload type (as in PublisherSink).
        switch (message)
        {
            case LaneMessage m: WireCodec.Encode(_payload, m); break;
            case InstanceMessage m: WireCodec.Encode(_payload, m); break;
            case ClassMapMessage m: WireCodec.Encode(_payload, m); break;
            case StatusMessage m: WireCodec.Encode(_payload, m); break;
            default: throw new ArgumentException($"No wire encoding for {message.GetType().Name} on {topic.Name}.");
        }
        long end = MonotonicClock.NowNs();
        Messages++;
        Bytes += _payload.WrittenCount;
        // Status goes out at 1 Hz between frames: node work, but no frame's.
        if (message is StatusMessage) return;
        _frameEncodeNs += end - start;
        _frameEncodeEndNs = end;
    }

    /// <summary>
    /// Encoding time of the per-frame messages since the last call, and when the last of them was encoded; called once
    /// per frame after the pipeline published it.
    /// </summary>
    public (long EncodeNs, long EndNs) TakeFrame()
    {
        var frame = (_frameEncodeNs, _frameEncodeEndNs);
        _frameEncodeNs = 0;
        return frame;
    }
}
