using DrivePerception.Core.Frames;
using DrivePerception.Core.Messages;
using DrivePerception.Core.Topics;
using DrivePerception.Node.Pipeline;

namespace DrivePerception.Node.Tests.Pipeline;

/// <summary>The one encoder: the wire codec's bytes, once, to every sink; each frame's messages timed, status apart.</summary>
public class WireEncoderTests
{
    private static LaneMessage Lanes() => new()
    {
        Header = new FrameHeader { CameraId = "bench-0", Sequence = 7, Width = 480, Height = 360 },
        Valid = true,
        Lanes = [new LaneLine { Slot = 1, Name = "ego_left", Present = true, Confidence = 0.9f }],
    };

    [Fact]
    public void Publish_Message_EncodesTheBytesTheWireCodecGives()
    {
        var sink = new WireEncoder();
        var message = Lanes();

        sink.Publish(TopicRegistry.Lanes, message);

        Assert.Equal(1, sink.Messages);
        Assert.Equal(WireCodec.Encode(message).Length, sink.Bytes);
    }

    [Fact]
    public void TakeFrame_AfterFrameMessages_EncodeTimeAndEndThenReset()
    {
        var sink = new WireEncoder();
        long before = MonotonicClock.NowNs();

        sink.Publish(TopicRegistry.Lanes, Lanes());
        sink.Publish(TopicRegistry.Vehicles, new InstanceMessage { Header = new FrameHeader(), Valid = true, Kind = "vehicles" });
        var (encodeNs, endNs) = sink.TakeFrame();
        var (afterNs, _) = sink.TakeFrame();

        Assert.True(encodeNs > 0);
        Assert.True(endNs >= before + encodeNs, "the frame's encoding ends after it started");
        Assert.Equal(0, afterNs);
    }

    [Fact]
    public void TakeFrame_StatusOnly_NotCountedAsFrameWork()
    {
        var sink = new WireEncoder();

        sink.Publish(TopicRegistry.Status, new StatusMessage { Health = "ok" });

        Assert.Equal((0L, 0L), sink.TakeFrame());
        Assert.Equal(1, sink.Messages);
    }

    [Fact]
    public void Publish_UnknownPayload_NamesTheType()
    {
        var e = Assert.Throws<ArgumentException>(() => new WireEncoder().Publish(TopicRegistry.Lanes, "text"));

        Assert.Contains("No wire encoding for String on perception/lanes", e.Message);
    }

    [Fact]
    public void Publish_TwoSinks_BothGetTheSameBytesFromOneEncoding()
    {
        var first = new CapturingWireSink();
        var second = new CapturingWireSink();
        var encoder = new WireEncoder(first, second);
        var message = Lanes();

        encoder.Publish(TopicRegistry.Lanes, message);

        Assert.Equal(1, encoder.Messages);
        Assert.Equal(WireCodec.Encode(message), Assert.Single(first.Payloads));
        Assert.Equal(first.Payloads, second.Payloads);
        Assert.Same(message, Assert.Single(second.Messages));
    }

    [Fact]
    public void Publish_StatusMessage_SameBytesAsTheTypedEncoder()
    {
        var sink = new CapturingWireSink();
        var status = new StatusMessage { Health = "ok", Sequence = 3 };

        new WireEncoder(sink).Publish(TopicRegistry.Status, status);

        Assert.Equal(WireCodec.Encode(status), Assert.Single(sink.Payloads));
    }

    private sealed class CapturingWireSink : IWireSink
    {
        public List<byte[]> Payloads { get; } = [];
        public List<object> Messages { get; } = [];

        public void Accept(Topic topic, object message, ReadOnlySpan<byte> payload)
        {
            Payloads.Add(payload.ToArray());
            Messages.Add(message);
        }
    }
}
