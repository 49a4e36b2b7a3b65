using DrivePerception.Core.Frames;

namespace DrivePerception.Node.Recording;

/// <summary>
/// The log times of a recording, in ns since the Unix epoch, computed the same way for a frame (from the source) and
/// for every message about it (from its header), so Foxglove, replay and regress pair them:
/// <list type="bullet">
/// <item>a recording played back: the frame's own log time (source time), so a re-recorded drive keeps its timeline;</item>
/// <item>another file (video, images): the recording's start in UTC plus the frame's time in the file, so the drive
/// replays at the file's rate whatever speed it was recorded at;</item>
/// <item>a live camera, or a source without times: the capture instant in UTC (start UTC plus monotonic time since).</item>
/// </list>
/// </summary>
public sealed class RecordingClock
{
    private readonly long _startUtcNs = MonotonicClock.UtcNowNs();
    private readonly long _startMonoNs = MonotonicClock.NowNs();

    /// <summary>A clock for a source: <paramref name="live"/> for cameras, <paramref name="sourceTimesAreLogTimes"/> for recordings.</summary>
    public RecordingClock(bool live, bool sourceTimesAreLogTimes)
    {
        Live = live;
        SourceTimesAreLogTimes = sourceTimesAreLogTimes;
    }

    /// <summary>The source is a camera: times are capture instants.</summary>
    public bool Live { get; }

    /// <summary>The source is a recording: its source times already are log times.</summary>
    public bool SourceTimesAreLogTimes { get; }

    /// <summary>Log time of a frame from its source time and monotonic capture time (a header's <c>source_time_ns</c> and <c>capture_mono_ns</c>).</summary>
    public long FrameLogTimeNs(long sourceTimeNs, long captureMonoNs)
    {
        if (!Live && sourceTimeNs >= 0) return SourceTimesAreLogTimes ? sourceTimeNs : _startUtcNs + sourceTimeNs;
        return _startUtcNs + (captureMonoNs - _startMonoNs);
    }

    /// <summary>Now, in UTC ns (publish times).</summary>
    public static long NowUtcNs() => MonotonicClock.UtcNowNs();
}
