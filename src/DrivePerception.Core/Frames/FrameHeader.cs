using DrivePerception.Core.Messages;
using MessagePack;

namespace DrivePerception.Core.Frames;

/// <summary>
/// Travels with a frame from capture to publish: which camera, which frame, when it was captured and
/// when each stage ran. Every message on the wire carries one.
/// </summary>
[MessagePackObject]
public sealed class FrameHeader
{
    /// <summary>Camera (source) id, e.g. "front".</summary>
    [Key("camera_id"), WireField("", "camera id: --camera-id (default: front), or the ID of --source ID=SOURCE or of the --cameras file")]
    public string CameraId { get; set; } = "";

    /// <summary>Frame sequence number from the source, starting at 0, never reused in a run.</summary>
    [Key("seq"), WireField("", "frame sequence number from the source, 0-based, increasing; gaps are dropped frames")]
    public long Sequence { get; set; }

    /// <summary>Capture time on the node's monotonic clock.</summary>
    [Key("capture_mono_ns"), WireField("ns", "capture time, node's monotonic clock (compare with stage times)")]
    public long CaptureMonoNs { get; set; }

    /// <summary>Capture time, UTC.</summary>
    [Key("capture_utc_ns"), WireField("ns", "capture time, nanoseconds since the Unix epoch, UTC")]
    public long CaptureUtcNs { get; set; }

    /// <summary>Source timestamp (position in a file or recording), when the source has one.</summary>
    [Key("source_time_ns"), WireField("ns", "time of the frame within its source (file position, recording log time); -1 if none")]
    public long SourceTimeNs { get; set; } = -1;

    /// <summary>Width of the frame as published (after undistortion), pixels.</summary>
    [Key("width"), WireField("px", "frame width; all pixel coordinates and masks refer to this size")]
    public int Width { get; set; }

    /// <summary>Height of the frame as published, pixels.</summary>
    [Key("height"), WireField("px", "frame height")]
    public int Height { get; set; }

    /// <summary>Start and end of each stage that ran, in pipeline order.</summary>
    [Key("stages"), WireField("", "list of stage timings (stage, start_ns, end_ns), in pipeline order")]
    public List<StageTiming> Stages { get; set; } = [];

    /// <summary>Records a stage; stages are appended in the order they ran.</summary>
    public void AddStage(string stage, long startNs, long endNs) =>
        Stages.Add(new StageTiming { Stage = stage, StartNs = startNs, EndNs = endNs });

    /// <summary>Duration of a stage in ms, or null when it did not run.</summary>
    public double? StageMs(string stage)
    {
        foreach (var s in Stages)
            if (s.Stage == stage) return s.DurationMs;
        return null;
    }

    /// <summary>A copy whose stage list can be extended independently (one per outgoing message).</summary>
    public FrameHeader Clone() => new()
    {
        CameraId = CameraId, Sequence = Sequence, CaptureMonoNs = CaptureMonoNs, CaptureUtcNs = CaptureUtcNs,
        SourceTimeNs = SourceTimeNs, Width = Width, Height = Height,
        Stages = Stages.Select(s => new StageTiming { Stage = s.Stage, StartNs = s.StartNs, EndNs = s.EndNs }).ToList(),
    };
}
