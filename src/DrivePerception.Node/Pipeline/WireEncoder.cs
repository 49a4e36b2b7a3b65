using System.Buffers;
using DrivePerception.Core.Frames;
using DrivePerception.Core.Messages;
using DrivePerception.Core.Topics;

namespace DrivePerception.Node.Pipeline;

/// <summary>
/// The pipeline's sink: encodes every message to MessagePack once (<see cref="WireCodec.Encode(IBufferWriter{byte}, Topic, object)"/>,
/// into a reused buffer) and hands the bytes to each <see cref="IWireSink"/> (publisher, recorder), so subscribers and
/// the recording hold the same bytes and no message is encoded twice. With no sinks it is the bench's wire stage:
/// encoding measured without a socket. It times the encoding of each frame's messages, which the pipeline cannot (a
/// message cannot carry the time of its own serialisation). Used from the pipeline thread only (status is published
/// there too).
/// </summary>
public sealed class WireEncoder(params IWireSink[] sinks) : IPerceptionSink
{
    /// <summary>Reused for every message; its bytes are overwritten by the next message, so sinks copy what they keep.</summary>
    private readonly ArrayBufferWriter<byte> _payload = new(64 * 1024);
    private readonly IWireSink[] _sinks = sinks;
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
        WireCodec.Encode(_payload, topic, message);
        long end = MonotonicClock.NowNs();
        Messages++;
        Bytes += _payload.WrittenCount;
        foreach (var sink in _sinks) sink.Accept(topic, message, _payload.WrittenSpan);
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
