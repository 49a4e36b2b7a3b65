using DrivePerception.Core.Frames;
using OpenCvSharp;

namespace DrivePerception.Node.Pipeline;

/// <summary>A frame on its way through the pipeline: the pixels and the header that travels with them.</summary>
public sealed class CapturedFrame : IDisposable
{
    /// <summary>BGR pixels; owned by this object, freed by <see cref="Dispose"/>. Empty for a corrupt frame.</summary>
    public Mat Image { get; }

    /// <summary>Why the source could not decode this frame; null for a frame with pixels. A corrupt frame keeps its
    /// sequence number and is published as not valid, so planners see it instead of a silent gap.</summary>
    public string? CorruptReason { get; private init; }

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

    /// <summary>A frame the source delivered but could not decode: no pixels, only its header and the reason.</summary>
    public static CapturedFrame Corrupt(FrameHeader header, string reason) => new(new Mat(), header) { CorruptReason = reason };

    /// <summary>Frees the pixels.</summary>
    public void Dispose() => Image.Dispose();
}
