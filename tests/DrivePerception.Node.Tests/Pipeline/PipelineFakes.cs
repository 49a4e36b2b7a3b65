using DrivePerception.Vision.Perception;
using DrivePerception.Core.Frames;
using DrivePerception.Core.Masks;
using DrivePerception.Core.Messages;
using DrivePerception.Core.Topics;
using DrivePerception.Node.Pipeline;
using OpenCvSharp;

namespace DrivePerception.Node.Tests.Pipeline;

/// <summary>A processor that returns one car and lanes, optionally slowly or failing.</summary>
internal sealed class FakeProcessor : IFrameProcessor
{
    public int DelayMs { get; init; }
    public Func<long, bool> FailOn { get; init; } = _ => false;
    private long _frames;

    public IReadOnlyList<ModelStatus> Models { get; } = [new() { Name = "fake", Task = "semantic", Accelerator = "cpu", Precision = "fp32" }];
    public void Preprocess(Mat frame) { }
    public void Infer()
    {
        if (DelayMs > 0) Thread.Sleep(DelayMs);
        if (FailOn(_frames++)) throw new InvalidOperationException("model exploded");
    }
    public FrameResult Postprocess(int w, int h, long seq) => new()
    {
        Lanes = [new LaneLine { Slot = 1, Name = "second_left" }],
        Vehicles = [new DetectedInstance { TrackId = 1, ClassName = "car" }],
        ClassMap = LabelRle.Encode(new byte[w * h], w, h, w),
        ClassNames = ["a", "b", "c", "road"],
    };
    public void Dispose() { }
}

/// <summary>Feeds frames into the slot from a task, like the capture thread does.</summary>
internal sealed class FakeCapture : ISourceReader
{
    private readonly Task _task;
    private readonly CancellationTokenSource _stop = new();
    private long _captured;

    public FakeCapture(NewestFrameSlot<CapturedFrame> slot, int frames, int intervalMs = 0, double ageMs = 0, string cameraId = "test")
    {
        _task = Task.Run(() =>
        {
            for (int i = 0; i < frames && !_stop.IsCancellationRequested; i++)
            {
                long now = MonotonicClock.NowNs();
                var h = new FrameHeader { CameraId = cameraId, Sequence = i, CaptureMonoNs = now - (long)(ageMs * 1e6), Width = 8, Height = 6 };
                h.AddStage(StageNames.Capture, h.CaptureMonoNs, now);
                if (!slot.Put(new CapturedFrame(new Mat(6, 8, MatType.CV_8UC3), h) { QueuedNs = now }, _stop.Token)) break;
                Interlocked.Increment(ref _captured);
                if (intervalMs > 0) Thread.Sleep(intervalMs);
            }
            State = "ended";
            slot.Complete();
        });
    }

    public string State { get; private set; } = "streaming";
    public long Captured => Interlocked.Read(ref _captured);
    public long Corrupt => 0;
    public long Reconnects => 0;
    public string? Failure => null;
    public void StopAndJoin()
    {
        _stop.Cancel();
        _task.Wait();
    }
}

/// <summary>Keeps what the pipeline publishes.</summary>
internal sealed class RecordingSink : IPerceptionSink
{
    public List<(Topic Topic, object Message)> Messages { get; } = [];
    public void Publish(Topic topic, object message) => Messages.Add((topic, message));
    public List<T> Of<T>(Topic topic) => Messages.Where(m => m.Topic == topic).Select(m => (T)m.Message).ToList();
}
