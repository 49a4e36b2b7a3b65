using DrivePerception.Core.Frames;
using OpenCvSharp;

namespace DrivePerception.Vision.Sources;

/// <summary>
/// What every source read from a file shares (video, image sequence, recorded drive): never live, never reconnects,
/// paced at the file's own times or read as fast as asked (<see cref="FrameSourceOptions.RealTime"/>), streaming until
/// the file ends. A derived source decodes the next frame in <see cref="ReadNext"/> and hands it back through
/// <see cref="Deliver"/> or <see cref="Ended"/>.
/// </summary>
public abstract class FileFrameSource : IFrameSource
{
    private readonly FramePacer _pacer;
    private volatile SourceState _state = SourceState.Starting;
    private bool _disposed;

    /// <summary>A file source paced at its frame times when <paramref name="realTime"/>.</summary>
    protected FileFrameSource(bool realTime) => _pacer = new FramePacer(realTime);

    /// <inheritdoc />
    public string Description { get; protected init; } = "";
    /// <inheritdoc />
    public double NominalFps { get; protected init; }
    /// <inheritdoc />
    public bool IsLive => false;
    /// <inheritdoc />
    public SourceState State => _state;
    /// <inheritdoc />
    public long Reconnects => 0;

    /// <summary>True once the file has ended: every later read returns the end again.</summary>
    protected bool HasEnded => _state == SourceState.Ended;

    /// <inheritdoc />
    public FrameRead Read(CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ct.ThrowIfCancellationRequested();
        return ReadNext(ct);
    }

    /// <summary>Decodes the next frame of the file (on the capture thread); returns it through <see cref="Deliver"/>, a corrupt read, or <see cref="Ended"/>.</summary>
    protected abstract FrameRead ReadNext(CancellationToken ct);

    /// <summary>
    /// Waits until <paramref name="timeNs"/> is due (when paced), then hands <paramref name="frame"/> to the caller, who
    /// owns it from then on. Disposes the frame when the wait is cancelled.
    /// </summary>
    protected FrameRead Deliver(Mat frame, long index, long timeNs, CancellationToken ct)
    {
        try
        {
            _pacer.WaitFor(timeNs, ct);
        }
        catch (OperationCanceledException)
        {
            frame.Dispose();
            throw;
        }
        _state = SourceState.Streaming;
        return FrameRead.Decoded(frame, index, timeNs, MonotonicClock.NowNs());
    }

    /// <summary>The end of the file after <paramref name="frames"/> frames; <paramref name="note"/> says what was odd about it, if anything.</summary>
    protected FrameRead Ended(long frames, string? note = null)
    {
        _state = SourceState.Ended;
        return FrameRead.End(frames, note);
    }

    /// <summary>Releases the file (decoder, reader, a frame decoded ahead); called once.</summary>
    protected abstract void DisposeFile();

    /// <summary>Releases the file; later reads throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        DisposeFile();
        GC.SuppressFinalize(this);
    }
}
