using DrivePerception.Core.Frames;
using DrivePerception.Node.Hosting;
using DrivePerception.Vision.Sources;
using Microsoft.Extensions.Logging;
using DrivePerception.Node.Logging;

namespace DrivePerception.Node.Pipeline;

/// <summary>
/// Reads the source on its own thread and hands every frame to the newest-frame slot, stamped with its
/// header. It paces file sources at their nominal rate when asked, passes corrupt frames on (counted) to be published as not valid and
/// stops at the frame or time limit. The source is owned by the caller.
/// </summary>
public sealed class CaptureLoop : ISourceReader, IDisposable
{
    private readonly IFrameSource _source;
    private readonly NewestFrameSlot<CapturedFrame> _slot;
    private readonly string _cameraId;
    private readonly long _maxFrames;
    private readonly Thread _thread;
    private readonly CancellationTokenSource _stop = new();
    private long _captured;
    private long _corrupt;
    private volatile string _state = "starting";
    private volatile string? _failure;

    private readonly ILogger _log;

    /// <summary>
    /// Prepares the loop; <see cref="Start"/> runs it. Pacing of file sources is the source's own job
    /// (<see cref="FrameSourceOptions.RealTime"/>), so that a paused reader never causes a burst. Corrupt frames and source
    /// failures are logged to <paramref name="log"/> (default: a logger of this type's category).
    /// </summary>
    public CaptureLoop(IFrameSource source, NewestFrameSlot<CapturedFrame> slot, string cameraId, long maxFrames, ILogger? log = null)
    {
        _log = log ?? NodeLogging.CreateLogger<CaptureLoop>();
        _source = source;
        _slot = slot;
        _cameraId = cameraId;
        _maxFrames = maxFrames;
        _thread = new Thread(Run) { IsBackground = true, Name = "capture" };
    }

    /// <inheritdoc/>
    public string State => _state == "streaming" && _source.State == SourceState.Reconnecting ? "reconnecting" : _state;
    /// <inheritdoc/>
    public long Captured => Interlocked.Read(ref _captured);
    /// <inheritdoc/>
    public long Corrupt => Interlocked.Read(ref _corrupt);
    /// <inheritdoc/>
    public long Reconnects => _source.Reconnects;
    /// <inheritdoc/>
    public string? Failure => _failure;

    /// <summary>Starts the capture thread.</summary>
    public void Start() => _thread.Start();

    /// <inheritdoc/>
    public void StopAndJoin()
    {
        _stop.Cancel();
        if (_thread.IsAlive && !_thread.Join(TimeSpan.FromSeconds(10)))
            _log.LogWarning($"The capture thread of {_source.Description} did not stop within 10 s.");
    }

    private void Run()
    {
        var ct = _stop.Token;
        long seq = 0;
        try
        {
            while (!ct.IsCancellationRequested && (_maxFrames <= 0 || seq < _maxFrames))
            {
                if (_slot.IsLossless && !_slot.WaitForDemand(ct)) break;
                var read = _source.Read(ct);
                long end = MonotonicClock.NowNs();
                if (read.Status == FrameReadStatus.Ended) { _state = "ended"; break; }
                if (read.Status == FrameReadStatus.Corrupt)
                {
                    // The frame keeps its place in the sequence and goes on to be published as not valid
                    // (reason corrupt-frame): a planner sees what happened to it rather than a gap.
                    Interlocked.Increment(ref _corrupt);
                    _log.LogWarning($"Corrupt frame {seq} from {_source.Description}, published as not valid: {read.Error}");
                    var bad = new FrameHeader
                    {
                        CameraId = _cameraId, Sequence = seq++, CaptureMonoNs = end, CaptureUtcNs = MonotonicClock.UtcNowNs(), SourceTimeNs = read.SourceTimeNs,
                    };
                    bad.AddStage(StageNames.Capture, end, end);
                    var corrupt = CapturedFrame.Corrupt(bad, read.Error ?? "the frame did not decode");
                    corrupt.QueuedNs = MonotonicClock.NowNs();
                    if (!_slot.Put(corrupt, ct)) break;
                    Interlocked.Increment(ref _captured);
                    continue;
                }
                _state = "streaming";
                var frame = read.Frame!;
                // The source stamps the moment the frame was grabbed; the capture stage runs from there to the
                // decoded frame in hand (a paced source's wait before the grab is not capture work).
                long grabbed = read.CaptureMonoNs > 0 ? Math.Min(read.CaptureMonoNs, end) : end;
                var header = new FrameHeader
                {
                    CameraId = _cameraId, Sequence = seq++, CaptureMonoNs = grabbed, CaptureUtcNs = MonotonicClock.UtcNowNs(),
                    SourceTimeNs = read.SourceTimeNs, Width = frame.Width, Height = frame.Height,
                };
                header.AddStage(StageNames.Capture, grabbed, end);
                var captured = new CapturedFrame(frame, header) { QueuedNs = MonotonicClock.NowNs() };
                if (!_slot.Put(captured, ct)) break;
                Interlocked.Increment(ref _captured);
            }
            if (_state != "ended") _state = ct.IsCancellationRequested ? "stopped" : "ended";
        }
        catch (OperationCanceledException)
        {
            _state = "stopped";
        }
        catch (Exception e)
        {
            _failure = e.Message;
            _state = "failed";
            _log.LogError($"Source {_source.Description} failed: {e.Message}");
        }
        finally
        {
            _slot.Complete();
        }
    }

    /// <summary>Stops the thread (the source itself is disposed by its owner).</summary>
    public void Dispose()
    {
        StopAndJoin();
        _stop.Dispose();
    }
}
