using DrivePerception.Core.Budgets;
using DrivePerception.Core.Frames;
using DrivePerception.Core.Messages;
using DrivePerception.Core.Topics;
using DrivePerception.Node.Pipeline;
using DrivePerception.Vision.Inference;

namespace DrivePerception.Node.Tests.Pipeline;

public class CameraRoundRobinTests
{
    /// <summary>A deadline no busy test machine reaches: these tests check scheduling and accounting, not speed.</summary>
    private static readonly LatencyBudget Generous = new(60_000, DeadlinePolicy.PublishInvalid);

    /// <summary>
    /// Cameras sharing one <see cref="CameraRoundRobin"/> and one sink, as the node wires them: each test adds its
    /// cameras, runs the scheduler once and reads the sink and the counters.
    /// </summary>
    private sealed class Rig(CameraBatch? batch = null) : IDisposable
    {
        private readonly CameraRoundRobin _scheduler = new(batch);
        private readonly List<CameraFeed> _feeds = [];

        public RecordingSink Sink { get; } = new();

        public CameraFeed Add(string id, SlotMode mode, int frames, int intervalMs, int delayMs, FakeProcessor? processor = null)
        {
            processor ??= new FakeProcessor { DelayMs = delayMs };
            var slot = new NewestFrameSlot<CapturedFrame>(mode) { Changed = _scheduler.Wake };
            var heartbeat = new StatusHeartbeat($"fake-{id}", Generous.DeadlineMs, processor.Models, TimeSpan.FromSeconds(1), id);
            var pipeline = new PerceptionPipeline(processor, Sink, Generous, false, heartbeat);
            var feed = new CameraFeed(id, slot, new FakeCapture(slot, frames, intervalMs, cameraId: id), pipeline);
            _feeds.Add(feed);
            return feed;
        }

        /// <summary>The sequence numbers of the lane messages published for <paramref name="cameraId"/>, in order.</summary>
        public List<long> Sequences(string cameraId) =>
            Sink.Of<LaneMessage>(TopicRegistry.Lanes).Where(m => m.Header.CameraId == cameraId).Select(m => m.Header.Sequence).ToList();

        public void Run(CancellationToken ct = default) => _scheduler.Run(_feeds, TimeSpan.Zero, ct);

        public void Dispose()
        {
            foreach (var feed in _feeds) feed.Slot.Dispose();
            _scheduler.Dispose();
        }
    }

    [Fact]
    public void Run_TwoLosslessCameras_EveryFrameOfEachPublishedWithItsOwnConsecutiveSequence()
    {
        using var rig = new Rig();
        var front = rig.Add("front", SlotMode.Lossless, frames: 12, intervalMs: 0, delayMs: 1);
        var rear = rig.Add("rear", SlotMode.Lossless, frames: 5, intervalMs: 0, delayMs: 1);

        rig.Run();

        Assert.Equal(Enumerable.Range(0, 12).Select(i => (long)i), rig.Sequences("front"));
        Assert.Equal(Enumerable.Range(0, 5).Select(i => (long)i), rig.Sequences("rear"));
        Assert.Equal(12, front.Pipeline.Counters.Processed);
        Assert.Equal(5, rear.Pipeline.Counters.Processed);
        Assert.All(new[] { front, rear }, f => Assert.Equal(f.Pipeline.Counters.Captured, f.Pipeline.Counters.Processed));
    }

    [Fact]
    public void Run_TwoCameras_OneFinalStatusPerCameraWithItsIdAndAccounting()
    {
        using var rig = new Rig();
        var front = rig.Add("front", SlotMode.Lossless, frames: 4, intervalMs: 0, delayMs: 0);
        var rear = rig.Add("rear", SlotMode.Lossless, frames: 7, intervalMs: 0, delayMs: 0);

        rig.Run();

        var stopped = rig.Sink.Of<StatusMessage>(TopicRegistry.Status).Where(s => s.Health == "stopped").ToList();
        Assert.Equal(["front", "rear"], stopped.Select(s => s.CameraId).Order().ToArray());
        Assert.Equal(4, stopped.Single(s => s.CameraId == "front").Counters.Processed);
        Assert.Equal(7, stopped.Single(s => s.CameraId == "rear").Counters.Captured);
        Assert.Equal("fake-rear", stopped.Single(s => s.CameraId == "rear").Source);
    }

    /// <summary>
    /// Fairness, the stated ratio: a camera read losslessly as fast as the pipeline goes (it always has a frame
    /// ready, like a file with --rate max) and a live camera at 20 fps share a pipeline that takes 20 ms per frame.
    /// Served in turn, each slow frame waits for at most one fast frame (20 ms, less than its 50 ms interval), so
    /// the slow camera keeps at least half its frames (all, on an idle machine) while the fast one still gets every
    /// frame through. A scheduler that looked at the first camera first would never find it empty and would process
    /// (almost) no slow frame: checked by hand (turn reset to the first camera after each frame), it processed 1 of 20 in three runs.
    /// </summary>
    [Fact]
    public void Run_AlwaysReadyCameraAndA20FpsCamera_SlowKeepsAtLeastHalfItsFramesAndFastLosesNone()
    {
        using var rig = new Rig();
        // The always-ready camera is first in the list: the order a naive scheduler would favour.
        var fast = rig.Add("fast", SlotMode.Lossless, frames: 100, intervalMs: 0, delayMs: 20);
        var slow = rig.Add("slow", SlotMode.DropOldest, frames: 20, intervalMs: 50, delayMs: 20);

        rig.Run();

        var f = fast.Pipeline.Counters;
        var s = slow.Pipeline.Counters;
        string figures = $"fast captured {f.Captured} processed {f.Processed}; slow captured {s.Captured} processed {s.Processed} stale {s.DroppedStale}";
        Assert.True(s.Processed * 2 >= s.Captured, $"slow camera starved: {figures}");
        Assert.True(f.Processed == 100, $"fast camera lost frames: {figures}");
        foreach (var c in new[] { f, s }) Assert.Equal(c.Captured, c.Processed + c.DroppedStale + c.DroppedDeadline);
    }

    [Fact]
    public void Run_Cancelled_StopsEveryCaptureAndPublishesEachFinalStatus()
    {
        using var rig = new Rig();
        var a = rig.Add("a", SlotMode.DropOldest, frames: 100_000, intervalMs: 10, delayMs: 0);
        var b = rig.Add("b", SlotMode.DropOldest, frames: 100_000, intervalMs: 10, delayMs: 0);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        rig.Run(cts.Token);

        Assert.Equal(2, rig.Sink.Of<StatusMessage>(TopicRegistry.Status).Count(st => st.Health == "stopped"));
        foreach (var c in new[] { a.Pipeline.Counters, b.Pipeline.Counters })
            Assert.Equal(c.Captured, c.Processed + c.DroppedStale + c.DroppedDeadline);
    }

    [Fact]
    public void Run_BatchedThreeLosslessCameras_EveryFrameOfEachPublishedAndEachStepSharesOneInferSpan()
    {
        using var batch = new CameraBatch(3, inTurn: true);
        using var rig = new Rig(batch);
        var a = rig.Add("a", SlotMode.Lossless, frames: 5, intervalMs: 0, delayMs: 0);
        var b = rig.Add("b", SlotMode.Lossless, frames: 3, intervalMs: 0, delayMs: 0);
        var c = rig.Add("c", SlotMode.Lossless, frames: 4, intervalMs: 0, delayMs: 0);

        rig.Run();

        Assert.Equal(Enumerable.Range(0, 5).Select(i => (long)i), rig.Sequences("a"));
        Assert.Equal(Enumerable.Range(0, 3).Select(i => (long)i), rig.Sequences("b"));
        Assert.Equal(Enumerable.Range(0, 4).Select(i => (long)i), rig.Sequences("c"));
        foreach (var f in new[] { a, b, c })
        {
            var n = f.Pipeline.Counters;
            Assert.Equal(n.Captured, n.Processed);
            Assert.Equal(0, n.DroppedStale + n.DroppedDeadline + n.PublishedInvalid);
        }
        // Lossless cameras each deliver a frame per step: frame k of every camera that has one is in step k, and the
        // cameras of a step carry the same infer stage (the batch's span), published in the cameras' order.
        var lanes = rig.Sink.Of<LaneMessage>(TopicRegistry.Lanes);
        foreach (var step in lanes.GroupBy(m => m.Header.Sequence))
        {
            Assert.Equal(step.Key < 3 ? ["a", "b", "c"] : step.Key < 4 ? ["a", "c"] : ["a"], step.Select(m => m.Header.CameraId).ToArray());
            Assert.Single(step.Select(m => m.Header.Stages.Single(st => st.Stage == StageNames.Infer)).Select(st => (st.StartNs, st.EndNs)).Distinct());
        }
    }

    [Fact]
    public void Run_BatchedOneCameraFails_OnlyItsFrameIsNotValidWithTheReason()
    {
        using var batch = new CameraBatch(2, inTurn: true);
        using var rig = new Rig(batch);
        rig.Add("good", SlotMode.Lossless, frames: 4, intervalMs: 0, delayMs: 0);
        var bad = rig.Add("bad", SlotMode.Lossless, frames: 4, intervalMs: 0, delayMs: 0, new FakeProcessor { FailOn = i => i == 1 });

        rig.Run();

        var lanes = rig.Sink.Of<LaneMessage>(TopicRegistry.Lanes);
        Assert.All(lanes.Where(m => m.Header.CameraId == "good"), m => Assert.True(m.Valid));
        var failed = Assert.Single(lanes, m => !m.Valid);
        Assert.Equal(("bad", 1L), (failed.Header.CameraId, failed.Header.Sequence));
        Assert.Equal("inference-failed: model exploded", failed.Reason);
        Assert.Equal(4, bad.Pipeline.Counters.Processed);
        Assert.Equal(1, bad.Pipeline.Counters.PublishedInvalid);
    }

    [Fact]
    public void Ctor_BarrierBatch_RefusedBecauseOneThreadServesTheCameras()
    {
        using var batch = new CameraBatch(2);

        Assert.Throws<ArgumentException>(() => new CameraRoundRobin(batch));
    }
}
