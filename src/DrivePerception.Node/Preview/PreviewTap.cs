using DrivePerception.Core.Frames;
using DrivePerception.Vision.Sources;

namespace DrivePerception.Node.Preview;

/// <summary>
/// Wraps a camera's source so that a frame is offered to <see cref="FramePreview"/> when one is due (at most --preview-hz
/// a second), numbered as the capture loop numbers frames (corrupt ones included). Between due frames it only compares
/// two times. The frame goes on to the pipeline untouched. Owns and disposes the inner source.
/// </summary>
public sealed class PreviewTap(IFrameSource inner, FramePreview preview, string cameraId) : IFrameSource
{
    private long _sequence;

    /// <inheritdoc />
    public string Description => inner.Description;
    /// <inheritdoc />
    public double NominalFps => inner.NominalFps;
    /// <inheritdoc />
    public bool IsLive => inner.IsLive;
    /// <inheritdoc />
    public SourceState State => inner.State;
    /// <inheritdoc />
    public long Reconnects => inner.Reconnects;

    /// <inheritdoc />
    public FrameRead Read(CancellationToken ct)
    {
        var read = inner.Read(ct);
        if (read.Status == FrameReadStatus.Corrupt) _sequence++;
        if (read.Status != FrameReadStatus.Frame) return read;
        long sequence = _sequence++;
        long now = MonotonicClock.NowNs();
        if (preview.IsDue(cameraId, now)) preview.Offer(cameraId, sequence, read.Frame!, now);
        return read;
    }

    /// <summary>Disposes the inner source.</summary>
    public void Dispose() => inner.Dispose();
}
