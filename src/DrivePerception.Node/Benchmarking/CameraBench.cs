using DrivePerception.Vision.Perception;
using DrivePerception.Core.Budgets;
using DrivePerception.Core.Frames;
using DrivePerception.Node.Pipeline;

namespace DrivePerception.Node.Benchmarking;

/// <summary>
/// One camera of a bench configuration, wired as `run` wires a file read as fast as possible: its pre-rendered frames
/// through the node's capture loop into a lossless slot (every frame processed), its own perception stack, the
/// node's pipeline (preprocess, infer, postprocess, message assembly) and a sink that MessagePack-encodes and drops
/// the messages. The pipeline runs on this camera's own thread. Keeps the timings of the measured frames.
/// </summary>
public sealed class CameraBench
{
    /// <summary>
    /// A deadline no frame reaches (an hour): the bench measures capacity, so the deadline policy must never turn
    /// a frame away uncomputed. Frames are handed over only when the pipeline waits for one, so none ages in a queue.
    /// </summary>
    private static readonly LatencyBudget NoDeadline = new(3_600_000, DeadlinePolicy.PublishInvalid);

    private readonly PerceptionStack _stack;
    private readonly RenderedCameraFrames _frames;
    private readonly int _warmupFrames;
    private readonly MeasurementGate _gate;
    private readonly bool _classMap;
    private readonly CancellationTokenSource _benchStop;
    private readonly WireEncoder _sink = new();
    private readonly List<BenchFrameSample> _samples = [];
    private readonly Thread _thread;

    /// <summary>
    /// Prepares camera <paramref name="index"/>; <see cref="Start"/> runs it. <paramref name="stack"/> and
    /// <paramref name="frames"/> stay owned by the caller. On a failure the camera cancels <paramref name="benchStop"/>
    /// so that the other cameras do not wait for it at the gate.
    /// </summary>
    public CameraBench(int index, PerceptionStack stack, RenderedCameraFrames frames, int warmupFrames, MeasurementGate gate,
        bool classMap, CancellationTokenSource benchStop)
    {
        Index = index;
        _stack = stack;
        _frames = frames;
        _warmupFrames = warmupFrames;
        _gate = gate;
        _classMap = classMap;
        _benchStop = benchStop;
        _thread = new Thread(Run) { IsBackground = true, Name = $"bench-camera-{index}" };
    }

    /// <summary>Camera number within the configuration, from 0.</summary>
    public int Index { get; }

    /// <summary>Seed of this camera's rendered frames.</summary>
    public int Seed => _frames.Seed;

    /// <summary>Timings of the measured frames that were computed; read after <see cref="Join"/>.</summary>
    public IReadOnlyList<BenchFrameSample> Samples => _samples;

    /// <summary>Measured frames published not valid (inference failed); left out of <see cref="Samples"/>.</summary>
    public int InvalidFrames { get; private set; }

    /// <summary>Monotonic time the last measured frame's encoding ended; 0 when none was measured.</summary>
    public long LastFrameEndNs { get; private set; }

    /// <summary>Why the camera did not finish its frames, when it broke (null when it finished or was stopped).</summary>
    public string? Failure { get; private set; }

    /// <summary>True when every frame went through the pipeline.</summary>
    public bool Completed { get; private set; }

    /// <summary>Starts the camera's thread.</summary>
    public void Start() => _thread.Start();

    /// <summary>Waits for the camera's last frame (or its stop).</summary>
    public void Join() => _thread.Join();

    private void Run()
    {
        try
        {
            using var slot = new NewestFrameSlot<CapturedFrame>(SlotMode.Lossless);
            using var source = new RenderedFrameSource(_frames, _warmupFrames, _gate, _benchStop.Token);
            using var capture = new CaptureLoop(source, slot, $"bench-{Index}", maxFrames: 0);
            var heartbeat = new StatusHeartbeat(source.Description, NoDeadline.DeadlineMs, _stack.Models, TimeSpan.FromSeconds(1));
            var pipeline = new PerceptionPipeline(_stack, _sink, NoDeadline, _classMap, heartbeat) { FrameDone = OnFrameDone };
            capture.Start();
            pipeline.Run(slot, capture, TimeSpan.Zero, _benchStop.Token);
            if (capture.State == "failed")
                Fail($"its source failed: {capture.Failure}");
            else
                Completed = capture.State == "ended" && pipeline.Counters.Processed == _frames.Count;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Fail(e.Message);
        }
    }

    private void Fail(string why)
    {
        Failure = why;
        _benchStop.Cancel();
    }

    /// <summary>Runs on the pipeline thread right after the frame's messages were published (and encoded by the sink).</summary>
    private void OnFrameDone(FrameHeader header)
    {
        var (encodeNs, endNs) = _sink.TakeFrame();
        if (header.Sequence < _warmupFrames) return;
        LastFrameEndNs = endNs;
        // The pipeline records preprocess, infer and postprocess only for a frame that was computed.
        if (header.StageMs(StageNames.Postprocess) is not { } postprocess)
        {
            InvalidFrames++;
            return;
        }
        _samples.Add(new BenchFrameSample(
            header.StageMs(StageNames.Preprocess) ?? 0,
            header.StageMs(StageNames.Infer) ?? 0,
            postprocess,
            (header.StageMs(StageNames.Encode) ?? 0) + encodeNs / 1e6,
            MonotonicClock.Ms(header.CaptureMonoNs, endNs)));
    }
}
