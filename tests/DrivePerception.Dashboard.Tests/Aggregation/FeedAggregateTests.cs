using DrivePerception.Core.Latency;
using DrivePerception.Dashboard.Aggregation;
using DrivePerception.Dashboard.Tests.Support;

namespace DrivePerception.Dashboard.Tests.Aggregation;

public class FeedAggregateTests
{
    [Fact]
    public void Snapshot_FramesOverSeventySeconds_WindowsHoldTheirSecondsAndRunHoldsAll()
    {
        var feed = new FeedAggregate("tcp://127.0.0.1:1");
        feed.AddStatus(Frames.Status(0), Frames.At(0));
        // 10 frames a second for 70 s: infer takes 10 ms for the first 60 s, then 40 ms.
        long seq = 0;
        for (int s = 0; s < 70; s++)
            for (int k = 0; k < 10; k++)
                feed.AddFrame(Frames.Lane(seq++, s < 60 ? 10 : 40, 50), Frames.At(s, k * 100));

        var snapshot = feed.Snapshot(Frames.At(69, 999));
        var infer = snapshot.Stages.Single(r => r.Stage == "infer");
        Assert.Equal(100, infer.Last10s.Count);
        Assert.InRange(infer.Last10s.P50Ms, 40 * 0.99, 40 * 1.01);
        Assert.Equal(600, infer.Last60s.Count);
        Assert.InRange(infer.Last60s.P50Ms, 10 * 0.99, 10 * 1.01); // 500 of the 600 are 10 ms
        Assert.Equal(700, infer.Run.Count);
        Assert.Equal(40, infer.Run.MaxMs, 6);
        Assert.Equal(10, snapshot.Fps, 6);
        Assert.Equal(["capture", "queue", "preprocess", "infer", "postprocess", "encode", "end_to_end"], snapshot.Stages.Select(r => r.Stage));
    }

    [Fact]
    public void Snapshot_SequenceGapsTheNodeCounted_AreNotBusLosses()
    {
        var feed = new FeedAggregate("tcp://127.0.0.1:1");
        feed.AddStatus(Frames.Status(0), Frames.At(0));
        feed.AddFrame(Frames.Lane(0, 10, 20), Frames.At(0, 100));
        feed.AddFrame(Frames.Lane(3, 10, 20), Frames.At(0, 200)); // 2 frames not seen
        feed.AddFrame(Frames.Lane(9, 10, 20), Frames.At(0, 300)); // 5 more
        feed.AddStatus(Frames.Status(1, processed: 3, droppedStale: 4), Frames.At(1)); // the node dropped 4 of the 7

        var counters = feed.Snapshot(Frames.At(1, 1)).Counters;
        Assert.Equal(7, counters.FrameGaps);
        Assert.Equal(3, counters.BusLosses);
        Assert.Equal(3, counters.FramesSeen);
        var timeline = feed.Snapshot(Frames.At(1, 1)).Timeline;
        Assert.Equal([2L, 5L], timeline.DropCounts);
    }

    [Fact]
    public void AddStatus_HeartbeatCarryingFrames_EachFramePlacedWhenTheNodeFinishedIt()
    {
        var feed = new FeedAggregate("tcp://127.0.0.1:1");
        // The node's clock: frames captured at 1.0 s (Frames.Lane) and done 20 ms and 150 ms later; the heartbeat
        // leaves at 1.5 s on the node's clock and arrives at 10 s on ours.
        var status = Frames.Status(0, deadlineMs: 100);
        status.MonoNs = 1_500_000_000;
        status.Frames = [Frames.Timing(0, 10, 20), Frames.Timing(1, 10, 150)];
        feed.AddStatus(status, Frames.At(10));

        var snapshot = feed.Snapshot(Frames.At(10));
        Assert.Equal([0L, 1L], snapshot.Timeline.Sequence);
        Assert.Equal(-0.48, snapshot.Timeline.AgoS[0], 6);
        Assert.Equal(-0.35, snapshot.Timeline.AgoS[1], 6);
        // The deadline of the heartbeat that carried them: the second frame missed it.
        Assert.Equal([false, true], snapshot.Timeline.Missed);
        Assert.Equal(2, snapshot.Counters.FramesSeen);
        Assert.InRange(snapshot.Stages.Single(r => r.Stage == "infer").Run.P50Ms, 10 * 0.99, 10 * 1.01);
    }

    [Fact]
    public void AddStatus_HeartbeatSkipped_CountsABusLoss()
    {
        var feed = new FeedAggregate("tcp://127.0.0.1:1");
        feed.AddStatus(Frames.Status(0), Frames.At(0));
        feed.AddStatus(Frames.Status(2), Frames.At(2));
        Assert.Equal(1, feed.Snapshot(Frames.At(2)).Counters.BusLosses);
    }

    [Fact]
    public void AddStatus_SequenceGoesBack_NodeRestartedAndFiguresStartAgain()
    {
        var feed = new FeedAggregate("tcp://127.0.0.1:1");
        feed.AddStatus(Frames.Status(0), Frames.At(0));
        for (int i = 0; i < 50; i++) feed.AddFrame(Frames.Lane(i, 10, 20), Frames.At(0, i));
        feed.AddStatus(Frames.Status(7, health: "stopped"), Frames.At(1));

        feed.AddStatus(Frames.Status(0, deadlineMs: 1), Frames.At(2)); // the new run's first heartbeat
        for (int i = 0; i < 5; i++) feed.AddFrame(Frames.Lane(i, 30, 40, camera: "rear"), Frames.At(2, 10 + i));

        var snapshot = feed.Snapshot(Frames.At(2, 100));
        Assert.Equal(1, snapshot.Restarts);
        Assert.Equal("rear", snapshot.CameraId);
        Assert.Equal("ok", snapshot.Health);
        Assert.Equal(5, snapshot.Stages.Single(r => r.Stage == "infer").Run.Count);
        Assert.Equal(0, snapshot.Counters.FrameGaps);
        Assert.All(snapshot.Timeline.Missed, Assert.True); // 40 ms past the new 1 ms deadline
    }

    [Fact]
    public void AddFrame_SequenceGoesBackWithoutStatus_AlsoARestart()
    {
        var feed = new FeedAggregate("tcp://127.0.0.1:1");
        feed.AddFrame(Frames.Lane(100, 10, 20), Frames.At(0));
        feed.AddFrame(Frames.Lane(0, 10, 20), Frames.At(1));
        var snapshot = feed.Snapshot(Frames.At(1));
        Assert.Equal(1, snapshot.Restarts);
        Assert.Equal(1, snapshot.Stages.Single(r => r.Stage == "infer").Run.Count);
    }

    [Fact]
    public void Snapshot_StatusStoppedComing_HealthSilent()
    {
        var feed = new FeedAggregate("tcp://127.0.0.1:1");
        feed.AddStatus(Frames.Status(0), Frames.At(0));
        Assert.Equal("ok", feed.Snapshot(Frames.At(1)).Health);
        Assert.Equal("silent", feed.Snapshot(Frames.At(FeedAggregate.SilentAfterSeconds + 1)).Health);
        Assert.Equal("waiting", new FeedAggregate("x").Snapshot(Frames.At(1)).Health);
    }

    [Fact]
    public void Snapshot_InvalidDeadlineFrame_MarkedMissedAndInvalid()
    {
        var feed = new FeedAggregate("tcp://127.0.0.1:1");
        feed.AddStatus(Frames.Status(0, deadlineMs: 100), Frames.At(0));
        feed.AddFrame(Frames.Lane(0, 10, 20), Frames.At(0, 1));
        feed.AddFrame(Frames.Lane(1, 0, 120, valid: false, reason: "deadline: frame was 120 ms old"), Frames.At(0, 2));
        feed.AddFrame(Frames.Lane(2, 10, 150), Frames.At(0, 3));
        var t = feed.Snapshot(Frames.At(0, 4)).Timeline;
        Assert.Equal([false, true, true], t.Missed);
        Assert.Equal([false, true, false], t.Invalid);
    }

    [Fact]
    public void Snapshot_EndToEndBins_CountEveryFrameAndCarryTheDeadline()
    {
        var feed = new FeedAggregate("tcp://127.0.0.1:1");
        feed.AddStatus(Frames.Status(0, deadlineMs: 50), Frames.At(0));
        for (int i = 0; i < 200; i++) feed.AddFrame(Frames.Lane(i, 10, i % 2 == 0 ? 20 : 70), Frames.At(0, i));
        var bins = feed.Snapshot(Frames.At(0, 300)).EndToEnd;
        Assert.Equal(200, bins.Counts.Sum());
        Assert.Equal(50, bins.DeadlineMs);
        int deadlineBin = (int)(50 / bins.BinWidthMs);
        Assert.Equal(100, bins.Counts.Take(deadlineBin).Sum());
    }

    [Fact]
    public void AddFrame_HundredThousandFrames_TimelineStaysWithinItsRing()
    {
        var feed = new FeedAggregate("tcp://127.0.0.1:1");
        for (int i = 0; i < 100_000; i++) feed.AddFrame(Frames.Lane(i, 10, 20), Frames.At(i / 1000.0));
        var snapshot = feed.Snapshot(Frames.At(100));
        // 60 s at 1000 frames/s is 60 000 frames: the ring keeps its capacity and the page gets at most MaxPoints.
        Assert.True(snapshot.Timeline.AgoS.Length <= TimelineRing.MaxPoints, $"{snapshot.Timeline.AgoS.Length} points");
        Assert.Equal(100_000, snapshot.Stages.Single(r => r.Stage == "end_to_end").Run.Count);
        Assert.True(LatencyHistogram.BucketCount < 1000);
    }

    [Fact]
    public void Snapshot_FirstFrameBeforeFirstHeartbeat_NodeDropsBeforeItAreNotBusLosses()
    {
        // The node publishes frame 0, then its first heartbeat, which already counts the frames dropped meanwhile.
        var feed = new FeedAggregate("tcp://127.0.0.1:1");
        feed.AddFrame(Frames.Lane(0, 10, 20), Frames.At(0, 1));
        feed.AddStatus(Frames.Status(0, processed: 1, droppedStale: 5), Frames.At(0, 2));
        feed.AddFrame(Frames.Lane(6, 10, 20), Frames.At(0, 3));
        feed.AddStatus(Frames.Status(1, processed: 2, droppedStale: 5), Frames.At(1));
        var counters = feed.Snapshot(Frames.At(1)).Counters;
        Assert.Equal(5, counters.FrameGaps);
        Assert.Equal(0, counters.BusLosses);
    }

    [Fact]
    public void Snapshot_NodeStoppedMinutesAgo_StillShowsItsLastMinute()
    {
        var feed = new FeedAggregate("tcp://127.0.0.1:1");
        feed.AddStatus(Frames.Status(0), Frames.At(0));
        for (int i = 0; i < 50; i++) feed.AddFrame(Frames.Lane(i, 10, 20), Frames.At(i * 0.1));
        feed.AddStatus(Frames.Status(1, processed: 50, health: "stopped"), Frames.At(5));

        var snapshot = feed.Snapshot(Frames.At(300));
        Assert.Equal(50, snapshot.Timeline.AgoS.Length);
        Assert.Equal(50, snapshot.Stages.Single(r => r.Stage == "infer").Last60s.Count);
        Assert.Equal("stopped", snapshot.Health);
    }
}
