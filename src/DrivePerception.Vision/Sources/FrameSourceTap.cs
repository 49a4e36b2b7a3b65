namespace DrivePerception.Vision.Sources;

/// <summary>
/// Wraps a source so that each decoded frame is also shown to someone else (a recorder, a preview) before it goes on
/// to the pipeline untouched. Frames are numbered as the capture loop numbers them: from 0, corrupt reads included,
/// because the loop publishes a corrupt frame as not valid under its own sequence number. Owns and disposes the inner source.
/// </summary>
public abstract class FrameSourceTap(IFrameSource inner) : IFrameSource
{
    private long _sequence;

    /// <summary>The wrapped source.</summary>
    protected IFrameSource Inner => inner;

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
        else if (read.Status == FrameReadStatus.Frame) OnFrame(read, _sequence++);
        return read;
    }

    /// <summary>
    /// Called with each decoded frame and its capture-loop sequence number, on the capture thread. The frame belongs to
    /// the caller of <see cref="Read"/>: copy what must outlive this call.
    /// </summary>
    protected abstract void OnFrame(FrameRead read, long sequence);

    /// <summary>Disposes the inner source.</summary>
    public void Dispose()
    {
        inner.Dispose();
        GC.SuppressFinalize(this);
    }
}
