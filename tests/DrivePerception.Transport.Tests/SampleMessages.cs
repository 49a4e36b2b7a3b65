using DrivePerception.Core.Frames;
using DrivePerception.Core.Masks;
using DrivePerception.Core.Messages;
using DrivePerception.Core.Topics;
using DrivePerception.Transport;

namespace DrivePerception.Transport.Tests;

/// <summary>
/// Messages of every type drawn from a small synthetic scene (64x48: sky, road, two cars, a pedestrian,
/// lane lines), with every wire field set to a non-default value somewhere (checked by WireFieldCoverageTests).
/// </summary>
internal static class SampleMessages
{
    public const int Width = 64, Height = 48;
    public const byte Road = 0, Sky = 10, Pedestrian = 11, Car = 13;

    public static readonly string[] ClassNames = ["road", "sidewalk", "building", "wall", "fence", "pole", "traffic light",
        "traffic sign", "vegetation", "terrain", "sky", "person", "rider", "car"];

    public static readonly PixelBox CarA = new(5, 20, 12, 8), CarB = new(40, 22, 10, 6), Walker = new(30, 15, 3, 9);

    /// <summary>The scene's label image, row-major, one class id per pixel.</summary>
    public static byte[] LabelImage()
    {
        var labels = new byte[Width * Height];
        for (int y = 0; y < 14; y++) labels.AsSpan(y * Width, Width).Fill(Sky);
        Fill(labels, CarA, Car);
        Fill(labels, CarB, Car);
        Fill(labels, Walker, Pedestrian);
        return labels;
    }

    /// <summary>A lane line: a one-pixel-wide diagonal from (x0, 20) to the bottom, moving dx per row.</summary>
    public static byte[] LaneLinePixels(int x0, int dx)
    {
        var pixels = new byte[Width * Height];
        for (int y = 20, x = x0; y < Height && x >= 0 && x < Width; y++, x += dx) pixels[y * Width + x] = 1;
        return pixels;
    }

    public static FrameHeader Header(long seq) => new()
    {
        CameraId = "front",
        Sequence = seq,
        CaptureMonoNs = MonotonicClock.NowNs(),
        CaptureUtcNs = MonotonicClock.UtcNowNs(),
        SourceTimeNs = seq * 33_333_333,
        Width = Width,
        Height = Height,
        Stages = StageNames.All.Select((s, i) => new StageTiming { Stage = s, StartNs = 1_000 + i * 10, EndNs = 1_005 + i * 10 }).ToList(),
    };

    public static LaneMessage Lanes(long seq) => new()
    {
        Header = Header(seq),
        Valid = true,
        PipelineLatencyMs = 12.5,
        Lanes =
        [
            new LaneLine { Slot = 1, Name = "second_left", Present = false, Mask = RleMask.Encode(new byte[Width * Height], Width, Height) },
            Line(2, "ego_left", 0.93f, LaneLinePixels(20, -1)),
            Line(3, "ego_right", 0.88f, LaneLinePixels(40, 1)),
            Line(4, "second_right", 0.51f, LaneLinePixels(55, 1)),
        ],
    };

    public static InstanceMessage Vehicles(long seq) => Instances(seq, "vehicles",
        [Instance(17, "car", Car, 0.91f, CarA), Instance(18, "car", Car, 0.77f, CarB)]);

    public static InstanceMessage Pedestrians(long seq) => Instances(seq, "pedestrians",
        [Instance(3, "pedestrian", Pedestrian, 0.66f, Walker)]);

    public static ClassMapMessage ClassMap(long seq) => new()
    {
        Header = Header(seq),
        Valid = true,
        PipelineLatencyMs = 13.25,
        ClassMap = LabelRle.Encode(LabelImage(), Width, Height, Width),
        Classes = [.. ClassNames],
    };

    public static StatusMessage Status(long seq) => new()
    {
        MonoNs = MonotonicClock.NowNs(),
        UtcNs = MonotonicClock.UtcNowNs(),
        Sequence = seq,
        Health = "degraded",
        Message = "2 deadline misses in the last second",
        Source = "synthetic://scene", CameraId = "front",
        SourceState = "streaming",
        Reconnects = 1,
        Counters = new PipelineCounters
        {
            Captured = 1000, Processed = 990, DroppedStale = 4, DroppedDeadline = 6, PublishedInvalid = 2,
            DeadlineMisses = 3, Corrupt = 1, StageOverruns = new() { ["infer"] = 5, ["postprocess"] = 1 },
        },
        Fps = 29.75,
        LatencyP50Ms = 21.5,
        LatencyP99Ms = 38.25,
        DeadlineMs = 66.0,
        Models = [new ModelStatus { Name = "segformer-b0", Task = "semantic", Accelerator = "cpu", Precision = "fp32" }],
        Degrade = new DegradeStatus
        {
            Mode = "auto", Level = 1, Name = "lanes-every-2nd", GaveUp = "lanes on every 2nd frame (the others valid=false, reason degraded-skip)",
            Reason = "processing mean 71.5 ms > 66.7 ms frame interval (2 windows of 10 frames)", Changes = 3,
            FrameIntervalMs = 66.7, ProcessingP50Ms = 48.25, ProcessingP90Ms = 70.5,
        },
        Frames =
        [
            new FrameTiming { Header = Header(seq * 30), Valid = true, PipelineLatencyMs = 21.5 },
            new FrameTiming { Header = Header(seq * 30 + 1), Valid = false, Reason = "deadline: frame was 70.0 ms old before inference, deadline 66 ms", PipelineLatencyMs = 70.25 },
        ],
    };

    /// <summary>A frame the pipeline did not compute in time: not valid, with the reason.</summary>
    public static InstanceMessage InvalidVehicles(long seq) => new()
    {
        Header = Header(seq), Kind = "vehicles", Valid = false, Reason = "deadline", PipelineLatencyMs = 80.0,
    };

    /// <summary>The sample for <paramref name="topic"/> with frame (or heartbeat) number <paramref name="seq"/>.</summary>
    public static object For(Topic topic, long seq) => topic.Name switch
    {
        "perception/lanes" => Lanes(seq),
        "perception/vehicles" => Vehicles(seq),
        "perception/pedestrians" => Pedestrians(seq),
        "perception/classmap" => ClassMap(seq),
        "perception/status" => Status(seq),
        _ => throw new ArgumentException($"No sample for {topic.Name}"),
    };

    /// <summary>Publishes a sample through the typed API (the encoder needs the concrete type).</summary>
    public static bool Publish(PerceptionPublisher publisher, Topic topic, object message) => message switch
    {
        LaneMessage m => publisher.Publish(topic, m),
        InstanceMessage m => publisher.Publish(topic, m),
        ClassMapMessage m => publisher.Publish(topic, m),
        StatusMessage m => publisher.Publish(topic, m),
        _ => throw new ArgumentException($"Not a wire message: {message.GetType().Name}"),
    };

    /// <summary>Encodes a sample with its concrete type.</summary>
    public static byte[] Encode(object message) => message switch
    {
        LaneMessage m => WireCodec.Encode(m),
        InstanceMessage m => WireCodec.Encode(m),
        ClassMapMessage m => WireCodec.Encode(m),
        StatusMessage m => WireCodec.Encode(m),
        _ => throw new ArgumentException($"Not a wire message: {message.GetType().Name}"),
    };

    private static InstanceMessage Instances(long seq, string kind, List<DetectedInstance> instances) => new()
    {
        Header = Header(seq), Kind = kind, Valid = true, PipelineLatencyMs = 14.0, Instances = instances,
    };

    private static DetectedInstance Instance(long trackId, string className, byte classId, float score, PixelBox box) => new()
    {
        TrackId = trackId, ClassName = className, ClassId = classId, Score = score, Box = box,
        Mask = RleMask.EncodeLabel(LabelImage(), Width, box, classId),
    };

    private static LaneLine Line(int slot, string name, float confidence, byte[] pixels) => new()
    {
        Slot = slot, Name = name, Present = true, Confidence = confidence,
        Mask = RleMask.Encode(pixels, Width, Height),
        PolylinePx = [slot * 10f, 20f, slot * 10f + 5.5f, 47f],
        PolylineGroundM = [30f, slot - 2.5f, 5f, slot - 2.25f],
    };

    private static void Fill(byte[] labels, PixelBox box, byte value)
    {
        for (int y = box.Y; y < box.Y + box.Height; y++) labels.AsSpan(y * Width + box.X, box.Width).Fill(value);
    }
}
