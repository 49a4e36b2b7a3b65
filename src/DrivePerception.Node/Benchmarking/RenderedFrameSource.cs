using DrivePerception.Core.Frames;
using DrivePerception.Vision.Sources;
using OpenCvSharp;

namespace DrivePerception.Node.Benchmarking;

/// <summary>
/// A frame source over one camera's pre-rendered frames, read by the node's own capture loop. Each read is a new
/// Mat header over the rendered pixels (OpenCV counts the reference), so handing a frame over costs no copy and the
/// pipeline's dispose of the frame leaves the pixels to <see cref="RenderedCameraFrames"/>. Before the first measured
/// frame it waits at the <see cref="MeasurementGate"/> for the other cameras.
/// </summary>
public sealed class RenderedFrameSource : IFrameSource
{
    private readonly RenderedCameraFrames _frames;
    private readonly int _warmupFrames;
    private readonly MeasurementGate _gate;
    private readonly CancellationToken _benchStop;
    private int _next;
    private volatile SourceState _state = SourceState.Starting;

    /// <summary>
    /// Plays <paramref name="frames"/> (not owned) once; the first <paramref name="warmupFrames"/> are warm-up.
    /// <paramref name="benchStop"/> releases the gate when another camera failed or the user stopped the bench.
    /// </summary>
    public RenderedFrameSource(RenderedCameraFrames frames, int warmupFrames, MeasurementGate gate, CancellationToken benchStop)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(warmupFrames, frames.Count);
        _frames = frames;
        _warmupFrames = warmupFrames;
        _gate = gate;
        _benchStop = benchStop;
    }

    /// <inheritdoc/>
    public string Description => $"synthetic camera (seed {_frames.Seed}), {_frames.Count} frames in memory";

    /// <inheritdoc/>
    public double NominalFps => RenderedCameraFrames.SceneFps;

    /// <inheritdoc/>
    public bool IsLive => false;

    /// <inheritdoc/>
    public SourceState State => _state;

    /// <inheritdoc/>
    public long Reconnects => 0;

    /// <inheritdoc/>
    public FrameRead Read(CancellationToken ct)
    {
        if (_next == _frames.Count)
        {
            _state = SourceState.Ended;
            return FrameRead.End(_next);
        }
        if (_next == _warmupFrames)
        {
            using var either = CancellationTokenSource.CreateLinkedTokenSource(ct, _benchStop);
            _gate.ArriveAndWait(either.Token);
        }
        int index = _next++;
        var image = _frames[index];
        // A header over the rendered pixels, owned by the caller; disposing it drops one reference, not the pixels.
        var view = new Mat(image, new Rect(0, 0, image.Width, image.Height));
        _state = SourceState.Streaming;
        long sourceTimeNs = (long)(index * 1e9 / RenderedCameraFrames.SceneFps);
        // Stamped last: the frame is handed to the pipeline from this moment (end-to-end starts here).
        return FrameRead.Decoded(view, index, sourceTimeNs, MonotonicClock.NowNs());
    }

    /// <summary>Nothing to free: the frames belong to their <see cref="RenderedCameraFrames"/>.</summary>
    public void Dispose()
    {
    }
}
