using DrivePerception.Core.Budgets;
using DrivePerception.Core.Frames;
using DrivePerception.Core.Messages;
using DrivePerception.Core.Topics;
using DrivePerception.Node.Degrade;
using DrivePerception.Node.Hosting;
using DrivePerception.Vision.Perception;
using Microsoft.Extensions.Logging;
using DrivePerception.Node.Logging;

namespace DrivePerception.Node.Pipeline;

/// <summary>
/// The pipeline thread: takes the newest frame, applies the deadline policy, runs preprocess, infer and
/// postprocess, publishes one message per topic per frame and a status heartbeat at 1 Hz. All publishing
/// happens on this thread, so the sink needs no locking.
/// </summary>
public sealed class PerceptionPipeline
{
    /// <summary>Consecutive inference failures after which health turns to failed.</summary>
    private const int FailedAfterConsecutiveErrors = 10;

    private readonly IFrameProcessor _processor;
    private readonly IPerceptionSink _sink;
    private readonly LatencyBudget _budget;
    private readonly bool _withClassMap;
    private readonly StatusHeartbeat _heartbeat;
    private readonly PipelineCounters _counters = new();
    private readonly LatencyWindow _recent = new(256);
    private readonly DegradeController _degrade;
    private int _consecutiveErrors;

    /// <summary>Wall time from the start of <see cref="Run"/> to its end.</summary>
    public TimeSpan Elapsed { get; private set; }

    /// <summary>All latency samples of the run, per stage and end to end.</summary>
    public StageStatistics Statistics { get; } = new();

    private NewestFrameSlot<CapturedFrame>? _slot;
    private ISourceReader? _source;
    private long _startNs;
    /// <summary>Frames left in the slot when the run stopped: captured, never processed.</summary>
    private long _leftAtStop;

    /// <summary>
    /// Frame accounting so far, merged from the capture side and the pipeline thread. After <see cref="Run"/>
    /// returns, captured = processed + dropped_stale + dropped_deadline holds exactly.
    /// </summary>
    public PipelineCounters Counters => Snapshot();

    /// <summary>Called after every processed frame with its header (progress display, tests).</summary>
    public Action<FrameHeader>? FrameDone { get; set; }

    private readonly ILogger _log;

    /// <summary>
    /// Wires the pipeline; nothing runs until <see cref="Run"/>. <paramref name="degrade"/> steps the processor down when
    /// frames take too long (default: never, status says degrade off). A frame that fails is logged to <paramref name="log"/>
    /// (default: a logger of this type's category).
    /// </summary>
    public PerceptionPipeline(IFrameProcessor processor, IPerceptionSink sink, LatencyBudget budget, bool withClassMap, StatusHeartbeat heartbeat,
        DegradeController? degrade = null, ILogger? log = null)
    {
        _log = log ?? NodeLogging.CreateLogger<PerceptionPipeline>();
        _degrade = degrade ?? DegradeController.Off("not enabled for this pipeline");
        _processor = processor;
        _sink = sink;
        _budget = budget;
        _withClassMap = withClassMap;
        _heartbeat = heartbeat;
    }

    /// <summary>
    /// Processes frames until the source ends and the slot is drained, <paramref name="ct"/> is cancelled
    /// or <paramref name="duration"/> passes (zero: no limit). Publishes a final status with health "stopped".
    /// </summary>
    public void Run(NewestFrameSlot<CapturedFrame> slot, ISourceReader source, TimeSpan duration, CancellationToken ct)
    {
        Begin(slot, source);
        // The time limit stops the capture the moment it passes, not after the frame in hand: on a busy machine one
        // frame can take seconds, and a paced source would otherwise go on capturing to its end meanwhile.
        var limit = duration > TimeSpan.Zero ? new Timer(_ => source.StopAndJoin(), null, duration, Timeout.InfiniteTimeSpan) : null;
        try
        {
            Loop(slot, duration, ct);
        }
        finally
        {
            // Wait for a limit callback in flight: the capture loop is disposed by the caller once this returns.
            if (limit is not null)
            {
                using var stopped = new ManualResetEvent(false);
                if (limit.Dispose(stopped)) stopped.WaitOne();
            }
        }
        Finish();
    }

    private void Loop(NewestFrameSlot<CapturedFrame> slot, TimeSpan duration, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            if (duration > TimeSpan.Zero && MonotonicClock.Ms(_startNs, MonotonicClock.NowNs()) >= duration.TotalMilliseconds) break;
            if (slot.TryTake(TimeSpan.FromMilliseconds(50), out var frame))
            {
                using (frame) Process(frame!);
            }
            else if (slot.IsDrained) break;
            PublishStatusIfDue(final: false);
        }
    }

    /// <summary>
    /// Starts the clock and attaches the slot and source whose accounting this pipeline reports; for a caller that
    /// drives several pipelines from one thread (<see cref="CameraRoundRobin"/>) instead of <see cref="Run"/>.
    /// </summary>
    public void Begin(NewestFrameSlot<CapturedFrame> slot, ISourceReader source)
    {
        _slot = slot;
        _source = source;
        _startNs = MonotonicClock.NowNs();
    }

    /// <summary>Processes and publishes one frame taken from the slot given to <see cref="Begin"/>; the caller keeps and disposes it.</summary>
    public void ProcessFrame(CapturedFrame frame) => Process(frame);

    /// <summary>Publishes a status heartbeat when one is due.</summary>
    public void PublishStatusIfDue() => PublishStatusIfDue(final: false);

    /// <summary>
    /// Stops the capture, counts a frame still in the slot as dropped, stops the clock and publishes the final status.
    /// </summary>
    public void Finish()
    {
        // Stop the capture first so no frame arrives after the final count; a frame still in the slot
        // was captured but never processed: count it as dropped.
        _source!.StopAndJoin();
        if (_slot!.TryTake(TimeSpan.Zero, out var left))
        {
            left!.Dispose();
            _leftAtStop++;
        }
        Elapsed = TimeSpan.FromMilliseconds(MonotonicClock.Ms(_startNs, MonotonicClock.NowNs()));
        PublishStatusIfDue(final: true);
    }

    private void Process(CapturedFrame frame)
    {
        var header = frame.Header;
        long takenNs = MonotonicClock.NowNs();
        header.AddStage(StageNames.Queue, frame.QueuedNs, takenNs);
        if (frame.CorruptReason is { } why)
        {
            PublishInvalid(header, $"corrupt-frame: {why}");
            return;
        }
        // The half-rate rung publishes every other frame not valid at once, so that the next is taken fresh.
        if (_degrade.SkipFrame(header.Sequence) is { } skipped)
        {
            PublishInvalid(header, skipped);
            return;
        }
        if (_budget.IsExpired(header.CaptureMonoNs, takenNs))
        {
            _counters.DeadlineMisses++;
            var age = MonotonicClock.Ms(header.CaptureMonoNs, takenNs);
            if (_budget.Policy == DeadlinePolicy.Drop)
            {
                _counters.DroppedDeadline++;
                return;
            }
            PublishInvalid(header, $"deadline: frame was {age:F1} ms old before inference, deadline {_budget.DeadlineMs} ms");
            _degrade.FrameNotProcessed(MonotonicClock.Ms(header.CaptureMonoNs, MonotonicClock.NowNs()));
            return;
        }

        FrameResult result;
        // The rung's plan for this frame: lanes may be skipped (published not valid, with this reason).
        string? lanesSkipped = _degrade.BeginFrame(header.Sequence);
        long t0 = MonotonicClock.NowNs();
        try
        {
            _processor.Preprocess(frame.Image);
            long t1 = MonotonicClock.NowNs();
            _processor.Infer();
            long t2 = MonotonicClock.NowNs();
            result = _processor.Postprocess(frame.Image.Width, frame.Image.Height, header.Sequence);
            long t3 = MonotonicClock.NowNs();
            header.AddStage(StageNames.Preprocess, t0, t1);
            header.AddStage(StageNames.Infer, t1, t2);
            header.AddStage(StageNames.Postprocess, t2, t3);
            _consecutiveErrors = 0;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _consecutiveErrors++;
            _log.LogError($"Frame {header.Sequence} failed: {e.Message}");
            PublishInvalid(header, $"inference-failed: {e.Message}");
            return;
        }

        long encodeStart = MonotonicClock.NowNs();
        var messages = MessageAssembler.Valid(header, result, _withClassMap, lanesSkipped);
        long encodeEnd = MonotonicClock.NowNs();
        header.AddStage(StageNames.Encode, encodeStart, encodeEnd);
        Send(messages, header, encodeEnd);
        _degrade.FrameProcessed(MonotonicClock.Ms(t0, encodeEnd), MonotonicClock.Ms(header.CaptureMonoNs, encodeEnd));
        _counters.Processed++;
        CountOverruns(header);
        FrameDone?.Invoke(header);
    }

    private void PublishInvalid(FrameHeader header, string reason)
    {
        long now = MonotonicClock.NowNs();
        header.AddStage(StageNames.Encode, now, now);
        Send(MessageAssembler.Invalid(header, reason, _withClassMap), header, now);
        _counters.Processed++;
        _counters.PublishedInvalid++;
        FrameDone?.Invoke(header);
    }

    private void Send(List<(Topic Topic, PerceptionMessage Message)> messages, FrameHeader header, long endNs)
    {
        double latency = MonotonicClock.Ms(header.CaptureMonoNs, endNs);
        foreach (var (topic, message) in messages)
        {
            message.PipelineLatencyMs = latency;
            _sink.Publish(topic, message);
        }
        _recent.Add(latency);
        Statistics.Add("end_to_end", latency);
        foreach (var s in header.Stages) Statistics.Add(s.Stage, s.DurationMs);
        if (latency > _budget.DeadlineMs && !messages.Any(m => !m.Message.Valid)) _counters.DeadlineMisses++;
    }

    private void CountOverruns(FrameHeader header)
    {
        foreach (var s in header.Stages)
        {
            if (!_budget.IsOverrun(s.Stage, s.DurationMs)) continue;
            _counters.StageOverruns[s.Stage] = _counters.StageOverruns.GetValueOrDefault(s.Stage) + 1;
        }
    }

    private PipelineCounters Snapshot() => new()
    {
        Captured = _source?.Captured ?? 0,
        Corrupt = _source?.Corrupt ?? 0,
        Processed = _counters.Processed,
        DroppedStale = (_slot?.Dropped ?? 0) + _leftAtStop,
        DroppedDeadline = _counters.DroppedDeadline,
        PublishedInvalid = _counters.PublishedInvalid,
        DeadlineMisses = _counters.DeadlineMisses,
        StageOverruns = new Dictionary<string, long>(_counters.StageOverruns),
    };

    private void PublishStatusIfDue(bool final)
    {
        if (!final && !_heartbeat.IsDue()) return;
        var status = _heartbeat.Beat(_source!, Snapshot(), _recent, _consecutiveErrors >= FailedAfterConsecutiveErrors, final,
            _degrade.Status(), _processor.Models);
        _sink.Publish(TopicRegistry.Status, status);
    }
}
