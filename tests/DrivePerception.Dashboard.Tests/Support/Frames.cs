using DrivePerception.Core.Frames;
using DrivePerception.Core.Messages;

namespace DrivePerception.Dashboard.Tests.Support;

/// <summary>Hand-made frame and status messages with known stage times.</summary>
internal static class Frames
{
    /// <summary>A lanes message for frame <paramref name="seq"/> whose stages last the given ms (queue, preprocess, infer, postprocess, encode).</summary>
    public static LaneMessage Lane(long seq, double inferMs, double endToEndMs, bool valid = true, string camera = "front", string reason = "")
    {
        var header = new FrameHeader { CameraId = camera, Sequence = seq, Width = 480, Height = 360, CaptureMonoNs = 1_000_000_000 };
        long t = 1_000_000_000;
        void Stage(string name, double ms)
        {
            long end = t + (long)(ms * 1e6);
            header.AddStage(name, t, end);
            t = end;
        }
        Stage(StageNames.Capture, 0.5);
        Stage(StageNames.Queue, 1);
        Stage(StageNames.Preprocess, 2);
        Stage(StageNames.Infer, inferMs);
        Stage(StageNames.Postprocess, 3);
        Stage(StageNames.Encode, 0.25);
        return new LaneMessage { Header = header, Valid = valid, Reason = reason, PipelineLatencyMs = endToEndMs };
    }

    /// <summary>The same frame as <see cref="Lane"/>, as a heartbeat carries it (<see cref="StatusMessage.Frames"/>).</summary>
    public static FrameTiming Timing(long seq, double inferMs, double endToEndMs, bool valid = true, string camera = "front", string reason = "")
    {
        var lane = Lane(seq, inferMs, endToEndMs, valid, camera, reason);
        return new FrameTiming { Header = lane.Header, Valid = lane.Valid, Reason = lane.Reason, PipelineLatencyMs = lane.PipelineLatencyMs };
    }

    /// <summary>A heartbeat.</summary>
    public static StatusMessage Status(long seq, double deadlineMs = 100, long processed = 0, long droppedStale = 0, string health = "ok") => new()
    {
        Sequence = seq, Health = health, SourceState = "streaming", DeadlineMs = deadlineMs,
        Counters = new PipelineCounters { Captured = processed + droppedStale, Processed = processed, DroppedStale = droppedStale },
        Models = [new ModelStatus { Name = "camvid-fast", Task = "semantic", Accelerator = "cpu", Precision = "fp32" }],
    };

    /// <summary>Nanoseconds for second <paramref name="s"/> plus <paramref name="ms"/>.</summary>
    public static long At(double s, double ms = 0) => (long)(s * 1e9 + ms * 1e6);
}
