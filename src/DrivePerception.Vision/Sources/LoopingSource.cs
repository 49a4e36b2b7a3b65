using System.Diagnostics;

namespace DrivePerception.Vision.Sources;

/// <summary>
/// Plays a file source (video, image sequence, recording, synthetic drive) again from its start each time it ends,
/// for runs longer than the drive (<see cref="FrameSourceOptions.Loop"/>: a soak). Each lap reopens the source, so a
/// lap is read exactly as the first one was. Across laps the frame index and the source time keep increasing (the
/// next lap starts one frame period after the last frame), so nothing downstream sees time go backwards; the node's
/// sequence number is its own and keeps increasing anyway. When paced, the first frame of a lap waits one frame
/// period after the last one, as any other frame does. Owns the source it plays. <see cref="Read"/> from one thread.
/// </summary>
public sealed class LoopingSource : IFrameSource
{
    private readonly Func<IFrameSource> _reopen;
    private readonly bool _paced;
    private IFrameSource _current;
    private long _indexOffset;
    private long _timeOffsetNs;
    private long _lastIndex = -1;
    private long _lastSourceNs = -1;
    private long _previousSourceNs = -1;
    private long _lastReturnTicks;
    private long _readsThisLap;
    private bool _lapStart;

    private LoopingSource(IFrameSource first, Func<IFrameSource> reopen, bool paced)
    {
        _current = first;
        _reopen = reopen;
        _paced = paced;
    }

    /// <summary>
    /// Loops <paramref name="first"/>, opening the next laps with <paramref name="reopen"/>; takes ownership of
    /// <paramref name="first"/> (disposed here when refused). <paramref name="paced"/>: the source waits for its source
    /// time (<see cref="FrameSourceOptions.RealTime"/>).
    /// </summary>
    /// <exception cref="FrameSourceException">The source is live (a camera): it has no start to go back to.</exception>
    public static LoopingSource Wrap(IFrameSource first, Func<IFrameSource> reopen, bool paced)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(reopen);
        if (first.IsLive)
        {
            var description = first.Description;
            first.Dispose();
            throw new FrameSourceException(description, $"--loop plays a file source again from its start, and {description} is live (a camera): drop --loop.");
        }
        return new LoopingSource(first, reopen, paced);
    }

    /// <summary>Laps started so far: 1 while the first is playing.</summary>
    public long Laps { get; private set; } = 1;

    /// <inheritdoc/>
    public string Description => $"{_current.Description}, looping";

    /// <inheritdoc/>
    public double NominalFps => _current.NominalFps;

    /// <inheritdoc/>
    public bool IsLive => false;

    /// <inheritdoc/>
    public SourceState State => _current.State;

    /// <inheritdoc/>
    public long Reconnects => 0;

    /// <inheritdoc/>
    public FrameRead Read(CancellationToken ct)
    {
        while (true)
        {
            var read = _current.Read(ct);
            if (read.Status == FrameReadStatus.Ended)
            {
                // A lap with nothing in it would spin for ever: end instead, saying why.
                if (_readsThisLap == 0)
                    return FrameRead.End(_lastIndex + 1, read.Error ?? $"lap {Laps} of the loop gave no frame: nothing to play again");
                NextLap();
                continue;
            }
            if (_lapStart)
            {
                _lapStart = false;
                _indexOffset = _lastIndex + 1 - read.Index;
                // One frame period after the last frame of the lap before.
                if (_lastSourceNs >= 0 && read.SourceTimeNs >= 0) _timeOffsetNs = _lastSourceNs + FramePeriodNs() - read.SourceTimeNs;
                if (_paced) WaitOnePeriod(ct);
            }
            _readsThisLap++;
            long index = read.Index + _indexOffset;
            long sourceNs = read.SourceTimeNs >= 0 ? read.SourceTimeNs + _timeOffsetNs : -1;
            _lastIndex = index;
            if (sourceNs >= 0) (_previousSourceNs, _lastSourceNs) = (_lastSourceNs, sourceNs);
            _lastReturnTicks = Stopwatch.GetTimestamp();
            return read.Status == FrameReadStatus.Frame
                ? FrameRead.Decoded(read.Frame!, index, sourceNs, read.CaptureMonoNs)
                : FrameRead.Corrupt(index, sourceNs, read.Error ?? "the frame did not decode");
        }
    }

    private void NextLap()
    {
        // Opened before the ended lap is closed: if the reopen throws (the file went away), the loop ends as a failed
        // source (the caller reports it) and the ended lap is still the one to dispose.
        var next = _reopen();
        _current.Dispose();
        _current = next;
        Laps++;
        _readsThisLap = 0;
        _lapStart = true;
    }

    private long FramePeriodNs()
    {
        if (NominalFps > 0) return (long)(1e9 / NominalFps);
        return _previousSourceNs >= 0 && _lastSourceNs > _previousSourceNs ? _lastSourceNs - _previousSourceNs : 1;
    }

    private void WaitOnePeriod(CancellationToken ct)
    {
        if (NominalFps <= 0) return;
        var wait = TimeSpan.FromSeconds(1 / NominalFps) - Stopwatch.GetElapsedTime(_lastReturnTicks);
        if (wait > TimeSpan.Zero && ct.WaitHandle.WaitOne(wait)) ct.ThrowIfCancellationRequested();
    }

    /// <summary>Disposes the source now playing.</summary>
    public void Dispose() => _current.Dispose();
}
