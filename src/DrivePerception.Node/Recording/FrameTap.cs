using DrivePerception.Core.Frames;
using DrivePerception.Vision.Sources;

namespace DrivePerception.Node.Recording;

/// <summary>
/// Wraps the node's source so that every decoded frame is also offered to the recorder, numbered as the capture loop
/// numbers them (frames from 0, corrupt ones included). The frame itself goes on to the pipeline untouched: the recorder takes a copy.
/// Owns and disposes the inner source.
/// </summary>
public sealed class FrameTap : IFrameSource
{
    private readonly IFrameSource _inner;
    private readonly DriveRecordingSink _recorder;
    private readonly string? _cameraId;
    private long _sequence;

    /// <summary>
    /// Taps <paramref name="inner"/> for <paramref name="recorder"/>, which learns the source's kind and rate from it;
    /// <paramref name="cameraId"/> names the camera in a run of several (null: the recording's one camera).
    /// </summary>
    public FrameTap(IFrameSource inner, DriveRecordingSink recorder, string? cameraId = null)
    {
        _inner = inner;
        _recorder = recorder;
        _cameraId = cameraId;
        if (cameraId is null) recorder.AttachSource(inner);
        else recorder.AttachSource(cameraId, inner);
    }

    /// <inheritdoc />
    public string Description => _inner.Description;
    /// <inheritdoc />
    public double NominalFps => _inner.NominalFps;
    /// <inheritdoc />
    public bool IsLive => _inner.IsLive;
    /// <inheritdoc />
    public SourceState State => _inner.State;
    /// <inheritdoc />
    public long Reconnects => _inner.Reconnects;

    /// <inheritdoc />
    public FrameRead Read(CancellationToken ct)
    {
        var read = _inner.Read(ct);
        // A corrupt frame takes a sequence number in the capture loop too (it is published as not valid); it has no pixels to record.
        if (read.Status == FrameReadStatus.Corrupt) _sequence++;
        if (read.Status != FrameReadStatus.Frame) return read;
        // The capture loop stamps a frame without a grab time when it gets it; this is the same instant within microseconds.
        long captured = read.CaptureMonoNs > 0 ? read.CaptureMonoNs : MonotonicClock.NowNs();
        var recorded = (_inner as McapFrameSource)?.LastFrame;
        if (_cameraId is null)
        {
            if (recorded is not null) _recorder.OfferEncodedFrame(recorded, _sequence++, read.Frame!.Width, read.Frame.Height, read.SourceTimeNs, captured);
            else _recorder.OfferFrame(read.Frame!, _sequence++, read.SourceTimeNs, captured);
        }
        else if (recorded is not null) _recorder.OfferEncodedFrame(_cameraId, recorded, _sequence++, read.Frame!.Width, read.Frame.Height, read.SourceTimeNs, captured);
        else _recorder.OfferFrame(_cameraId, read.Frame!, _sequence++, read.SourceTimeNs, captured);
        return read;
    }

    /// <summary>Disposes the inner source.</summary>
    public void Dispose() => _inner.Dispose();
}
