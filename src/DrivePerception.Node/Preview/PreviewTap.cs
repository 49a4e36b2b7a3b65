using DrivePerception.Core.Frames;
using DrivePerception.Vision.Sources;

namespace DrivePerception.Node.Preview;

/// <summary>
/// Wraps a camera's source so that a frame is offered to <see cref="FramePreview"/> when one is due (at most --preview-hz
/// a second), numbered as the capture loop numbers frames. Between due frames it only compares two times. Owns and
/// disposes the inner source.
/// </summary>
public sealed class PreviewTap(IFrameSource inner, FramePreview preview, string cameraId) : FrameSourceTap(inner)
{
    /// <inheritdoc />
    protected override void OnFrame(FrameRead read, long sequence)
    {
        long now = MonotonicClock.NowNs();
        if (preview.IsDue(cameraId, now)) preview.Offer(cameraId, sequence, read.Frame!, now);
    }
}
