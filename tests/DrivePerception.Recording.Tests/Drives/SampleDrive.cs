using DrivePerception.Core.Frames;
using DrivePerception.Core.Masks;
using DrivePerception.Core.Messages;
using DrivePerception.Core.Topics;
using DrivePerception.Recording.Drives;
using DrivePerception.Recording.Mcap;

namespace DrivePerception.Recording.Tests.Drives;

/// <summary>
/// Writes small drives with <see cref="DriveRecorder"/> into temporary files: frames whose "image" bytes are a function
/// of the frame number (the reader does not decode them), and per-frame lanes, vehicles and pedestrians messages.
/// </summary>
internal sealed class SampleDrive : IDisposable
{
    // The lanes card's slot class names by slot id (ModelCardValidator.LaneSlotClasses).
    private static readonly string[] SlotNames = ["background", "second_left", "ego_left", "ego_right", "second_right"];

    public const long StartNs = 1_700_000_000_000_000_000;
    public const long IntervalNs = 66_666_667;
    public const int Width = 64;
    public const int Height = 48;

    public SampleDrive(int frames, double fps = 15, McapWriterOptions? options = null)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"dp-drive-{Guid.NewGuid():N}.mcap");
        using var recorder = options is null ? DriveRecorder.Create(Path) : DriveRecorder.Create(Path, options);
        recorder.AddCamera(new DriveCameraInfo("front", fps, Width, Height) { Extra = new Dictionary<string, string> { ["source"] = "test" } });
        for (int i = 0; i < frames; i++)
        {
            long t = TimeOf(i);
            Images.Add(ImageOf(i));
            recorder.WriteFrame("front", i, t, Images[i]);
            var lanes = LanesOf(i);
            var vehicles = VehiclesOf(i);
            var pedestrians = new InstanceMessage { Header = HeaderOf(i), Valid = false, Reason = "deadline: test", Kind = "pedestrians" };
            recorder.WriteWireMessage(TopicRegistry.Lanes, i, t, lanes);
            recorder.WriteWireMessage(TopicRegistry.Vehicles, i, t, vehicles);
            recorder.WriteWireMessage(TopicRegistry.Pedestrians, i, t, pedestrians);
            recorder.WriteOverlay(i, t, DriveOverlay.Build(t, lanes, vehicles, pedestrians));
            Lanes.Add(lanes);
            Vehicles.Add(vehicles);
        }
        recorder.WriteWireMessage(TopicRegistry.Status, 0, TimeOf(Math.Max(0, frames - 1)), new StatusMessage { Health = "stopped", Sequence = 0 });
    }

    public string Path { get; }
    public List<byte[]> Images { get; } = [];
    public List<LaneMessage> Lanes { get; } = [];
    public List<InstanceMessage> Vehicles { get; } = [];

    public static long TimeOf(int frame) => StartNs + frame * IntervalNs;

    public static byte[] ImageOf(int frame) => Enumerable.Range(0, 200 + frame * 13).Select(k => (byte)(k * 7 + frame)).ToArray();

    public static FrameHeader HeaderOf(int frame) => new()
    {
        CameraId = "front", Sequence = frame, CaptureMonoNs = 1000 + frame, CaptureUtcNs = TimeOf(frame), SourceTimeNs = TimeOf(frame),
        Width = Width, Height = Height, Stages = [new StageTiming { Stage = StageNames.Capture, StartNs = 1, EndNs = 2 }],
    };

    public static LaneMessage LanesOf(int frame)
    {
        var mask = new byte[Width * Height];
        for (int y = 10; y < 40; y++) mask[y * Width + 20 + frame % 5] = 1;
        return new LaneMessage
        {
            Header = HeaderOf(frame), Valid = true,
            Lanes = Enumerable.Range(1, 4).Select(s => new LaneLine
            {
                Slot = s, Name = SlotNames[s], Present = s == 2, Confidence = s == 2 ? 0.9f : 0,
                Mask = s == 2 ? RleMask.Encode(mask, Width, Height) : RleMask.Encode(new byte[Width * Height], Width, Height),
                PolylinePx = s == 2 ? [20 + frame % 5, 10, 20 + frame % 5, 39] : [],
            }).ToList(),
        };
    }

    public static InstanceMessage VehiclesOf(int frame)
    {
        var box = new PixelBox(5 + frame, 20, 10, 8);
        var crop = new byte[box.Width * box.Height];
        Array.Fill(crop, (byte)1);
        return new InstanceMessage
        {
            Header = HeaderOf(frame), Valid = true, Kind = "vehicles",
            Instances = [new DetectedInstance { TrackId = 1, ClassName = "car", ClassId = 8, Score = 0.8f, Box = box, Mask = RleMask.Encode(crop, box.Width, box.Height) }],
        };
    }

    public byte[] Bytes() => File.ReadAllBytes(Path);

    public void Dispose() => File.Delete(Path);
}
