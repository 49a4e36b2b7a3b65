using DrivePerception.Core.Frames;
using DrivePerception.Vision.Sources;

namespace DrivePerception.Node.Recording;

/// <summary>
/// Wraps the node's source so that every decoded frame is also offered to the recorder, numbered as the capture loop
/// numbers them. The frame itself goes on to the pipeline untouched: the recorder takes a copy. Owns and disposes the inner source.
/// </summary>
public sealed class FrameTap : FrameSourceTap
{
    private readonly DriveRecordingSink _recorder;
    private readonly string? _cameraId;

    /// <summary>
    /// Taps <paramref name="inner"/> for <paramref name="recorder"/>, which learns the source's kind and rate from it;
    /// <paramref name="cameraId"/> names the camera in a run of several (null: the recording's one camera).
    /// </summary>
    public FrameTap(IFrameSource inner, DriveRecordingSink recorder, string? cameraId = null) : base(inner)
    {
        _recorder = recorder;
        _cameraId = cameraId;
        if (cameraId is null) recorder.AttachSource(inner);
        else recorder.AttachSource(cameraId, inner);
    }

    /// <inheritdoc />
    protected override void OnFrame(FrameRead read, long sequence)
    {
        // The capture loop stamps a frame without a grab time when it gets it; this is the same instant within microseconds.
        long captured = read.CaptureMonoNs > 0 ? read.CaptureMonoNs : MonotonicClock.NowNs();
        // A frame replayed from a recording is kept as its recorded bytes, not decoded and encoded again.
        var recorded = (Inner as McapFrameSource)?.LastFrame;
        if (_cameraId is null)
        {
            if (recorded is not null) _recorder.OfferEncodedFrame(recorded, sequence, read.Frame!.Width, read.Frame.Height, read.SourceTimeNs, captured);
            else _recorder.OfferFrame(read.Frame!, sequence, read.SourceTimeNs, captured);
        }
        else if (recorded is not null) _recorder.OfferEncodedFrame(_cameraId, recorded, sequence, read.Frame!.Width, read.Frame.Height, read.SourceTimeNs, captured);
        else _recorder.OfferFrame(_cameraId, read.Frame!, sequence, read.SourceTimeNs, captured);
    }
}
