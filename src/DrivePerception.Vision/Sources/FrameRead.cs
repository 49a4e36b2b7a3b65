using OpenCvSharp;

namespace DrivePerception.Vision.Sources;

/// <summary>
/// The result of one <see cref="IFrameSource.Read"/>: a frame, a corrupt frame that was skipped, or the end.
/// Ownership: when <see cref="Status"/> is <see cref="FrameReadStatus.Frame"/> the caller owns
/// <see cref="Frame"/> and must dispose it; the source never touches it again.
/// </summary>
public readonly struct FrameRead
{
    private FrameRead(FrameReadStatus status, Mat? frame, long index, long sourceTimeNs, long captureMonoNs, string? error)
    {
        Status = status;
        Frame = frame;
        Index = index;
        SourceTimeNs = sourceTimeNs;
        CaptureMonoNs = captureMonoNs;
        Error = error;
    }

    /// <summary>Frame, Corrupt or Ended.</summary>
    public FrameReadStatus Status { get; }

    /// <summary>The decoded BGR frame (CV_8UC3) when <see cref="Status"/> is Frame, else null. Owned by the caller.</summary>
    public Mat? Frame { get; }

    /// <summary>0-based index of the frame within its source (files: position in the file or sequence; cameras: frames delivered).</summary>
    public long Index { get; }

    /// <summary>Time of the frame within its source in nanoseconds (file position, or index / fps); -1 when the source has none.</summary>
    public long SourceTimeNs { get; }

    /// <summary>Node monotonic time (<see cref="Core.Frames.MonotonicClock"/>) taken right after the frame was grabbed; 0 when no frame.</summary>
    public long CaptureMonoNs { get; }

    /// <summary>Why the frame is corrupt, or, for Ended, why the source ended early when it knows; null otherwise.</summary>
    public string? Error { get; }

    /// <summary>A decoded frame; the caller takes ownership of <paramref name="frame"/>.</summary>
    public static FrameRead Decoded(Mat frame, long index, long sourceTimeNs, long captureMonoNs) =>
        new(FrameReadStatus.Frame, frame ?? throw new ArgumentNullException(nameof(frame)), index, sourceTimeNs, captureMonoNs, null);

    /// <summary>A frame that exists but did not decode; <paramref name="error"/> names the file or position.</summary>
    public static FrameRead Corrupt(long index, long sourceTimeNs, string error) =>
        new(FrameReadStatus.Corrupt, null, index, sourceTimeNs, 0, error);

    /// <summary>The end of the source; <paramref name="note"/> says why it ended early when known.</summary>
    public static FrameRead End(long index, string? note = null) =>
        new(FrameReadStatus.Ended, null, index, -1, 0, note);
}
