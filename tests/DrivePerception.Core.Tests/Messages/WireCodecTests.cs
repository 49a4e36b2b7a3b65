using DrivePerception.Core.Frames;
using DrivePerception.Core.Masks;
using DrivePerception.Core.Messages;
using MessagePack;

namespace DrivePerception.Core.Tests.Messages;

public class WireCodecTests
{
    private static FrameHeader Header()
    {
        var h = new FrameHeader { CameraId = "front", Sequence = 42, CaptureMonoNs = 1000, CaptureUtcNs = 2000, SourceTimeNs = 3000, Width = 480, Height = 360 };
        h.AddStage(StageNames.Capture, 1000, 2000);
        return h;
    }

    [Fact]
    public void LaneMessage_RoundTrip_KeepsEveryField()
    {
        var m = new LaneMessage
        {
            Header = Header(), Valid = true, PipelineLatencyMs = 12.5,
            Lanes = [new LaneLine { Slot = 2, Name = "ego_left", Present = true, Confidence = 0.9f,
                Mask = RleMask.Encode(new byte[] { 0, 1, 1, 0 }, 2, 2), PolylinePx = [1, 2, 3, 4], PolylineGroundM = [5, 0.5f] }],
        };
        var back = WireCodec.Decode<LaneMessage>(WireCodec.Encode(m));
        Assert.Equal(WireSchema.Version, back.Schema);
        Assert.Equal(42, back.Header.Sequence);
        Assert.Equal("front", back.Header.CameraId);
        Assert.Equal(StageNames.Capture, back.Header.Stages.Single().Stage);
        Assert.True(back.Valid);
        Assert.Equal(12.5, back.PipelineLatencyMs);
        var lane = back.Lanes.Single();
        Assert.Equal((2, "ego_left", true, 0.9f), (lane.Slot, lane.Name, lane.Present, lane.Confidence));
        Assert.Equal(new byte[] { 0, 1, 1, 0 }, lane.Mask.Decode());
        Assert.Equal([1f, 2, 3, 4], lane.PolylinePx);
        Assert.Equal([5f, 0.5f], lane.PolylineGroundM);
    }

    [Fact]
    public void InstanceMessage_RoundTrip_KeepsBoxAndMask()
    {
        var m = new InstanceMessage
        {
            Header = Header(), Valid = true, Kind = "vehicles",
            Instances = [new DetectedInstance { TrackId = 7, ClassName = "car", ClassId = 8, Score = 0.75f,
                Box = new PixelBox(10, 20, 2, 1), Mask = RleMask.Encode(new byte[] { 1, 1 }, 2, 1) }],
        };
        var back = WireCodec.Decode<InstanceMessage>(WireCodec.Encode(m));
        var i = back.Instances.Single();
        Assert.Equal("vehicles", back.Kind);
        Assert.Equal((7L, "car", 8, 0.75f), (i.TrackId, i.ClassName, i.ClassId, i.Score));
        Assert.Equal(new PixelBox(10, 20, 2, 1), i.Box);
        Assert.Equal(2, i.Mask.Area());
    }

    [Fact]
    public void InvalidMessage_RoundTrip_KeepsReason()
    {
        var m = new InstanceMessage { Header = Header(), Valid = false, Reason = "deadline", Kind = "pedestrians" };
        var back = WireCodec.Decode<InstanceMessage>(WireCodec.Encode(m));
        Assert.False(back.Valid);
        Assert.Equal("deadline", back.Reason);
    }

    [Fact]
    public void StatusMessage_RoundTrip_KeepsCounters()
    {
        var m = new StatusMessage { Health = "degraded", Counters = new PipelineCounters { Captured = 10, Processed = 7, DroppedStale = 3, StageOverruns = { ["infer"] = 2 } },
            Models = [new ModelStatus { Name = "camvid-fast", Task = "semantic", Accelerator = "cpu", Precision = "fp32" }] };
        var back = WireCodec.Decode<StatusMessage>(WireCodec.Encode(m));
        Assert.Equal("degraded", back.Health);
        Assert.Equal((10L, 7L, 3L), (back.Counters.Captured, back.Counters.Processed, back.Counters.DroppedStale));
        Assert.Equal(2, back.Counters.StageOverruns["infer"]);
        Assert.Equal("cpu", back.Models.Single().Accelerator);
    }

    [Fact]
    public void Encode_UsesStringKeys_SoOtherLanguagesReadByName()
    {
        var bytes = WireCodec.Encode(new LaneMessage { Header = Header(), Valid = true });
        var map = (Dictionary<object, object>)MessagePackSerializer.Deserialize<object>(bytes, WireCodec.Options)!;
        Assert.Contains("schema", map.Keys);
        Assert.Contains("header", map.Keys);
        Assert.Contains("valid", map.Keys);
        Assert.Contains("lanes", map.Keys);
        var header = (Dictionary<object, object>)map["header"];
        Assert.Contains("capture_mono_ns", header.Keys);
        Assert.Contains("seq", header.Keys);
    }

    [Fact]
    public void Decode_Garbage_ThrowsNamingTheType()
    {
        var e = Assert.Throws<InvalidDataException>(() => WireCodec.Decode<LaneMessage>(new byte[] { 0xc1, 0x00, 0x13 }));
        Assert.Contains("not a valid LaneMessage", e.Message);
    }
}
