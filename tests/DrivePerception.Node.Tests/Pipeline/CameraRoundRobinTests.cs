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

    private sealed record Camera(CameraFeed Feed, FakeCapture Capture) : IDisposable
    {
        public void Dispose() => Feed.Slot.Dispose();
    }

    private static Camera Make(string id, SlotMode mode, RecordingSink sink, CameraRoundRobin scheduler, int frames, int intervalMs, int delayMs,
        FakeProcessor? processor = null)
    {
        processor ??= new FakeProcessor { DelayMs = delayMs };
        var slot = new NewestFrameSlot<CapturedFrame>(mode) { Changed = scheduler.Wake };
        var heartbeat = new StatusHeartbeat($"fake-{id}", Generous.DeadlineMs, processor.Models, TimeSpan.FromSeconds(1), id);
        var pipeline = new PerceptionPipeline(processor, sink, Generous, false, heartbeat);
        var capture = new FakeCapture(slot, frames, intervalMs, cameraId: id);
        return new Camera(new CameraFeed(id, slot, capture, pipeline), capture);
    }

    private static List<long> Sequences(RecordingSink sink, string cameraId) =>
        sink.Of<LaneMessage>(TopicRegistry.Lanes).Where(m => m.Header.CameraId == cameraId).Select(m => m.Header.Sequence).ToList();

    [Fact]
    public void Run_TwoLosslessCameras_EveryFrameOfEachPublishedWithItsOwnConsecutiveSequence()
    {
        var sink = new RecordingSink();
        using var scheduler = new CameraRoundRobin();
        using var front = Make("front", SlotMode.Lossless, sink, scheduler, frames: 12, intervalMs: 0, delayMs: 1);
        using var rear = Make("rear", SlotMode.Lossless, sink, scheduler, frames: 5, intervalMs: 0, delayMs: 1);

        scheduler.Run([front.Feed, rear.Feed], TimeSpan.Zero, CancellationToken.None);

        Assert.Equal(Enumerable.Range(0, 12).Select(i => (long)i), Sequences(sink, "front"));
        Assert.Equal(Enumerable.Range(0, 5).Select(i => (long)i), Sequences(sink, "rear"));
        Assert.Equal(12, front.Feed.Pipeline.Counters.Processed);
        Assert.Equal(5, rear.Feed.Pipeline.Counters.Processed);
        Assert.All(new[] { front.Feed, rear.Feed }, f => Assert.Equal(f.Pipeline.Counters.Captured, f.Pipeline.Counters.Processed));
    }

    [Fact]
    public void Run_TwoCameras_OneFinalStatusPerCameraWithItsIdAndAccounting()
    {
        var sink = new RecordingSink();
        using var scheduler = new CameraRoundRobin();
        using var front = Make("front", SlotMode.Lossless, sink, scheduler, frames: 4, intervalMs: 0, delayMs: 0);
        using var rear = Make("rear", SlotMode.Lossless, sink, scheduler, frames: 7, intervalMs: 0, delayMs: 0);

        scheduler.Run([front.Feed, rear.Feed], TimeSpan.Zero, CancellationToken.None);

        var stopped = sink.Of<StatusMessage>(TopicRegistry.Status).Where(s => s.Health == "stopped").ToList();
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
        var sink = new RecordingSink();
        using var scheduler = new CameraRoundRobin();
        // The always-ready camera is first in the list: the order a naive scheduler would favour.
        using var fast = Make("fast", SlotMode.Lossless, sink, scheduler, frames: 100, intervalMs: 0, delayMs: 20);
        using var slow = Make("slow", SlotMode.DropOldest, sink, scheduler, frames: 20, intervalMs: 50, delayMs: 20);

        scheduler.Run([fast.Feed, slow.Feed], TimeSpan.Zero, CancellationToken.None);

        var f = fast.Feed.Pipeline.Counters;
        var s = slow.Feed.Pipeline.Counters;
        string figures = $"fast captured {f.Captured} processed {f.Processed}; slow captured {s.Captured} processed {s.Processed} stale {s.DroppedStale}";
        Assert.True(s.Processed * 2 >= s.Captured, $"slow camera starved: {figures}");
        Assert.True(f.Processed == 100, $"fast camera lost frames: {figures}");
        foreach (var c in new[] { f, s }) Assert.Equal(c.Captured, c.Processed + c.DroppedStale + c.DroppedDeadline);
    }

    [Fact]
    public void Run_Cancelled_StopsEveryCaptureAndPublishesEachFinalStatus()
    {
        var sink = new RecordingSink();
        using var scheduler = new CameraRoundRobin();
        using var a = Make("a", SlotMode.DropOldest, sink, scheduler, frames: 100_000, intervalMs: 10, delayMs: 0);
        using var b = Make("b", SlotMode.DropOldest, sink, scheduler, frames: 100_000, intervalMs: 10, delayMs: 0);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        scheduler.Run([a.Feed, b.Feed], TimeSpan.Zero, cts.Token);

        Assert.Equal(2, sink.Of<StatusMessage>(TopicRegistry.Status).Count(st => st.Health == "stopped"));
        foreach (var c in new[] { a.Feed.Pipeline.Counters, b.Feed.Pipeline.Counters })
            Assert.Equal(c.Captured, c.Processed + c.DroppedStale + c.DroppedDeadline);
    }

    [Fact]
    public void Run_BatchedThreeLosslessCameras_EveryFrameOfEachPublishedAndEachStepSharesOneInferSpan()
    {
        var sink = new RecordingSink();
        using var batch = new CameraBatch(3, inTurn: true);
        using var scheduler = new CameraRoundRobin(batch);
        var processors = new[] { new FakeProcessor(), new FakeProcessor(), new FakeProcessor() };
        using var a = Make("a", SlotMode.Lossless, sink, scheduler, frames: 5, intervalMs: 0, delayMs: 0, processors[0]);
        using var b = Make("b", SlotMode.Lossless, sink, scheduler, frames: 3, intervalMs: 0, delayMs: 0, processors[1]);
        using var c = Make("c", SlotMode.Lossless, sink, scheduler, frames: 4, intervalMs: 0, delayMs: 0, processors[2]);

        scheduler.Run([a.Feed, b.Feed, c.Feed], TimeSpan.Zero, CancellationToken.None);

        Assert.Equal(Enumerable.Range(0, 5).Select(i => (long)i), Sequences(sink, "a"));
        Assert.Equal(Enumerable.Range(0, 3).Select(i => (long)i), Sequences(sink, "b"));
        Assert.Equal(Enumerable.Range(0, 4).Select(i => (long)i), Sequences(sink, "c"));
        foreach (var f in new[] { a.Feed, b.Feed, c.Feed })
        {
            var n = f.Pipeline.Counters;
            Assert.Equal(n.Captured, n.Processed);
            Assert.Equal(0, n.DroppedStale + n.DroppedDeadline + n.PublishedInvalid);
        }
        // Lossless cameras each deliver a frame per step: frame k of every camera that has one is in step k, and the
        // cameras of a step carry the same infer stage (the batch's span), published in the cameras' order.
        var lanes = sink.Of<LaneMessage>(TopicRegistry.Lanes);
        foreach (var step in lanes.GroupBy(m => m.Header.Sequence))
        {
            Assert.Equal(step.Key < 3 ? ["a", "b", "c"] : step.Key < 4 ? ["a", "c"] : ["a"], step.Select(m => m.Header.CameraId).ToArray());
            Assert.Single(step.Select(m => m.Header.Stages.Single(st => st.Stage == StageNames.Infer)).Select(st => (st.StartNs, st.EndNs)).Distinct());
        }
    }

    [Fact]
    public void Run_BatchedOneCameraFails_OnlyItsFrameIsNotValidWithTheReason()
    {
        var sink = new RecordingSink();
        using var batch = new CameraBatch(2, inTurn: true);
        using var scheduler = new CameraRoundRobin(batch);
        using var good = Make("good", SlotMode.Lossless, sink, scheduler, frames: 4, intervalMs: 0, delayMs: 0);
        using var bad = Make("bad", SlotMode.Lossless, sink, scheduler, frames: 4, intervalMs: 0, delayMs: 0,
            new FakeProcessor { FailOn = i => i == 1 });

        scheduler.Run([good.Feed, bad.Feed], TimeSpan.Zero, CancellationToken.None);

        var lanes = sink.Of<LaneMessage>(TopicRegistry.Lanes);
        Assert.All(lanes.Where(m => m.Header.CameraId == "good"), m => Assert.True(m.Valid));
        var failed = Assert.Single(lanes, m => !m.Valid);
        Assert.Equal(("bad", 1L), (failed.Header.CameraId, failed.Header.Sequence));
        Assert.Equal("inference-failed: model exploded", failed.Reason);
        Assert.Equal(4, bad.Feed.Pipeline.Counters.Processed);
        Assert.Equal(1, bad.Feed.Pipeline.Counters.PublishedInvalid);
    }

    [Fact]
    public void Ctor_BarrierBatch_RefusedBecauseOneThreadServesTheCameras()
    {
        using var batch = new CameraBatch(2);

        Assert.Throws<ArgumentException>(() => new CameraRoundRobin(batch));
    }
}
