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
    // The frame between BeginFrame and EndFrame (one reused object: nothing allocated per frame), and whether there is one.
    private readonly PendingFrame _pending = new();
    private bool _hasPending;
    // Frames published since the last heartbeat; the heartbeat carries them (StatusMessage.Frames) and starts a new list.
    private List<FrameTiming> _sinceBeat = [];

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
        if (!BeginFrame(frame)) return;
        long inferStart = MonotonicClock.NowNs();
        InferBegun();
        EndFrame(frame, inferStart, MonotonicClock.NowNs());
    }

    /// <summary>
    /// First part of a frame, for a caller that runs the models of several cameras' frames together (an in-turn
    /// <see cref="Vision.Inference.CameraBatch"/>): the queue stage, the corrupt, half-rate and deadline checks (a frame
    /// they stop is published not valid, or dropped, here) and preprocessing into the models' inputs. True when the frame
    /// waits for <see cref="InferBegun"/> and <see cref="EndFrame"/>; the caller keeps and disposes the frame.
    /// </summary>
    public bool BeginFrame(CapturedFrame frame)
    {
        var header = frame.Header;
        long takenNs = MonotonicClock.NowNs();
        header.AddStage(StageNames.Queue, frame.QueuedNs, takenNs);
        if (frame.CorruptReason is { } why)
        {
            PublishInvalid(header, $"corrupt-frame: {why}");
            return false;
        }
        // The half-rate rung publishes every other frame not valid at once, so that the next is taken fresh.
        if (_degrade.SkipFrame(header.Sequence) is { } skipped)
        {
            PublishInvalid(header, skipped);
            return false;
        }
        if (_budget.IsExpired(header.CaptureMonoNs, takenNs))
        {
            _counters.DeadlineMisses++;
            var age = MonotonicClock.Ms(header.CaptureMonoNs, takenNs);
            if (_budget.Policy == DeadlinePolicy.Drop)
            {
                _counters.DroppedDeadline++;
                return false;
            }
            PublishInvalid(header, $"deadline: frame was {age:F1} ms old before inference, deadline {_budget.DeadlineMs} ms");
            _degrade.FrameNotProcessed(MonotonicClock.Ms(header.CaptureMonoNs, MonotonicClock.NowNs()));
            return false;
        }

        // The rung's plan for this frame: lanes may be skipped (published not valid, with this reason).
        _pending.LanesSkipped = _degrade.BeginFrame(header.Sequence);
        _pending.InferFailure = null;
        _pending.StartNs = MonotonicClock.NowNs();
        try
        {
            _processor.Preprocess(frame.Image);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Failed(header, e);
            return false;
        }
        _pending.PreprocessedNs = MonotonicClock.NowNs();
        _hasPending = true;
        return true;
    }

    /// <summary>
    /// Runs the models on the frame <see cref="BeginFrame"/> prepared (as a slot of an in-turn batch, the first camera of
    /// the round runs the batch and the others find their outputs ready). A failure is kept and published by <see cref="EndFrame"/>.
    /// </summary>
    public void InferBegun()
    {
        if (!_hasPending) throw new InvalidOperationException("InferBegun needs a frame that BeginFrame accepted.");
        try
        {
            _processor.Infer();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _pending.InferFailure = e;
        }
    }

    /// <summary>
    /// Last part of a frame <see cref="BeginFrame"/> accepted: post-processing, encoding and publishing, with the infer stage
    /// from <paramref name="inferStartNs"/> to <paramref name="inferEndNs"/> (monotonic ns): for a batch, the span of the
    /// round's inference, when this camera's outputs were ready.
    /// </summary>
    public void EndFrame(CapturedFrame frame, long inferStartNs, long inferEndNs)
    {
        if (!_hasPending) throw new InvalidOperationException("EndFrame needs a frame that BeginFrame accepted.");
        _hasPending = false;
        var pending = _pending;
        var header = frame.Header;
        if (pending.InferFailure is { } failure)
        {
            Failed(header, failure);
            return;
        }
        FrameResult result;
        try
        {
            long t2 = MonotonicClock.NowNs();
            result = _processor.Postprocess(frame.Image.Width, frame.Image.Height, header.Sequence);
            long t3 = MonotonicClock.NowNs();
            header.AddStage(StageNames.Preprocess, pending.StartNs, pending.PreprocessedNs);
            header.AddStage(StageNames.Infer, inferStartNs, inferEndNs);
            header.AddStage(StageNames.Postprocess, t2, t3);
            _consecutiveErrors = 0;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Failed(header, e);
            return;
        }

        long encodeStart = MonotonicClock.NowNs();
        var messages = MessageAssembler.Valid(header, result, _withClassMap, pending.LanesSkipped);
        long encodeEnd = MonotonicClock.NowNs();
        header.AddStage(StageNames.Encode, encodeStart, encodeEnd);
        Send(messages, header, encodeEnd);
        _degrade.FrameProcessed(MonotonicClock.Ms(pending.StartNs, encodeEnd), MonotonicClock.Ms(header.CaptureMonoNs, encodeEnd));
        _counters.Processed++;
        CountOverruns(header);
        FrameDone?.Invoke(header);
    }

    private void Failed(FrameHeader header, Exception e)
    {
        _consecutiveErrors++;
        _log.LogError($"Frame {header.Sequence} failed: {e.Message}");
        PublishInvalid(header, $"inference-failed: {e.Message}");
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
        if (_sinceBeat.Count < StatusMessage.MaxFrames)
        {
            var invalid = messages.FirstOrDefault(m => !m.Message.Valid).Message;
            bool computed = messages.Any(m => m.Message.Valid);
            _sinceBeat.Add(new FrameTiming { Header = header, Valid = computed, Reason = computed ? "" : invalid?.Reason ?? "", PipelineLatencyMs = latency });
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
        status.Frames = _sinceBeat;
        _sinceBeat = [];
        _sink.Publish(TopicRegistry.Status, status);
    }

    /// <summary>A frame between <see cref="BeginFrame"/> and <see cref="EndFrame"/>: its plan, preprocess times and any inference failure.</summary>
    private sealed class PendingFrame
    {
        public string? LanesSkipped { get; set; }
        public long StartNs { get; set; }
        public long PreprocessedNs { get; set; }
        public Exception? InferFailure { get; set; }
    }
}
