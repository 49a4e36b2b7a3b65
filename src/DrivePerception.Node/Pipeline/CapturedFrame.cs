using DrivePerception.Core.Frames;
using OpenCvSharp;

namespace DrivePerception.Node.Pipeline;

/// <summary>A frame on its way through the pipeline: the pixels and the header that travels with them.</summary>
public sealed class CapturedFrame : IDisposable
{
    /// <summary>BGR pixels; owned by this object, freed by <see cref="Dispose"/>.</summary>
    public Mat Image { get; }

    /// <summary>Identity and timings; stages are appended as the frame moves on.</summary>
    public FrameHeader Header { get; }

    /// <summary>Monotonic time the frame was put in the slot (start of the queue stage).</summary>
    public long QueuedNs { get; set; }

    /// <summary>Takes ownership of <paramref name="image"/>.</summary>
    public CapturedFrame(Mat image, FrameHeader header)
    {
        Image = image;
        Header = header;
    }

    /// <summary>Frees the pixels.</summary>
    public void Dispose() => Image.Dispose();
}
