using DrivePerception.Core.Frames;
using DrivePerception.Core.Messages;
using DrivePerception.Core.Topics;
using DrivePerception.Node.Benchmarking;

namespace DrivePerception.Node.Tests.Benchmarking;

/// <summary>The bench's sink encodes like the publisher and times each frame's messages, status apart.</summary>
public class DiscardingWireSinkTests
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
        var sink = new DiscardingWireSink();
        var message = Lanes();

        sink.Publish(TopicRegistry.Lanes, message);

        Assert.Equal(1, sink.Messages);
        Assert.Equal(WireCodec.Encode(message).Length, sink.Bytes);
    }

    [Fact]
    public void TakeFrame_AfterFrameMessages_EncodeTimeAndEndThenReset()
    {
        var sink = new DiscardingWireSink();
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
        var sink = new DiscardingWireSink();

        sink.Publish(TopicRegistry.Status, new StatusMessage { Health = "ok" });

        Assert.Equal((0L, 0L), sink.TakeFrame());
        Assert.Equal(1, sink.Messages);
    }

    [Fact]
    public void Publish_UnknownPayload_NamesTheType()
    {
        var e = Assert.Throws<ArgumentException>(() => new DiscardingWireSink().Publish(TopicRegistry.Lanes, "text"));

        Assert.Contains("No wire encoding for String", e.Message);
    }
}
