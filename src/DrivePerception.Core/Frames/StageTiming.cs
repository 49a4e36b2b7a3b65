using DrivePerception.Core.Messages;
using MessagePack;

namespace DrivePerception.Core.Frames;

/// <summary>When one pipeline stage started and ended for a frame, on the node's monotonic clock.</summary>
[MessagePackObject]
public sealed class StageTiming
{
    /// <summary>Stage name, one of <see cref="StageNames"/>.</summary>
    [Key("stage"), WireField("", "stage name: capture, queue, preprocess, infer, postprocess, encode")]
    public string Stage { get; set; } = "";

    /// <summary>Start, monotonic nanoseconds.</summary>
    [Key("start_ns"), WireField("ns", "stage start on the node's monotonic clock")]
    public long StartNs { get; set; }

    /// <summary>End, monotonic nanoseconds.</summary>
    [Key("end_ns"), WireField("ns", "stage end on the node's monotonic clock")]
    public long EndNs { get; set; }

    /// <summary>Duration in milliseconds.</summary>
    [IgnoreMember]
    public double DurationMs => MonotonicClock.Ms(StartNs, EndNs);
}
