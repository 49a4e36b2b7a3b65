using DrivePerception.Vision.Perception;
using DrivePerception.Core.Budgets;
using DrivePerception.Core.Messages;
using DrivePerception.Core.Topics;
using DrivePerception.Node.Pipeline;

namespace DrivePerception.Node.Tests.Pipeline;

public class PerceptionPipelineTests
{
    private static (PerceptionPipeline Pipeline, RecordingSink Sink) Make(IFrameProcessor processor, LatencyBudget budget, bool classMap = false)
    {
        var sink = new RecordingSink();
        var heartbeat = new StatusHeartbeat("fake", budget.DeadlineMs, processor.Models, TimeSpan.FromSeconds(1));
        return (new PerceptionPipeline(processor, sink, budget, classMap, heartbeat), sink);
    }

    [Fact]
    public void Run_Lossless_EveryFramePublishedOnEveryTopicWithItsId()
    {
        using var processor = new FakeProcessor();
        var (pipeline, sink) = Make(processor, new LatencyBudget(10_000, DeadlinePolicy.Drop), classMap: true);
        using var slot = new NewestFrameSlot<CapturedFrame>(SlotMode.Lossless);
        var capture = new FakeCapture(slot, 25);
        pipeline.Run(slot, capture, TimeSpan.Zero, CancellationToken.None);

        foreach (var topic in new[] { TopicRegistry.Lanes, TopicRegistry.Vehicles, TopicRegistry.Pedestrians, TopicRegistry.ClassMap })
        {
            var msgs = sink.Messages.Where(m => m.Topic == topic).Select(m => (PerceptionMessage)m.Message).ToList();
            Assert.Equal(Enumerable.Range(0, 25).Select(i => (long)i), msgs.Select(m => m.Header.Sequence));
            Assert.All(msgs, m => Assert.True(m.Valid));
        }
        var c = pipeline.Counters;
        Assert.Equal((25L, 25L, 0L, 0L), (c.Captured, c.Processed, c.DroppedStale, c.DroppedDeadline));
        var statuses = sink.Of<StatusMessage>(TopicRegistry.Status);
        Assert.Equal("stopped", statuses[^1].Health);
        Assert.Equal(25, statuses[^1].Counters.Processed);
    }

    [Fact]
    public void Run_Heartbeats_CarryEveryPublishedFrameOnceWithItsHeaderAndLatency()
    {
        using var processor = new FakeProcessor();
        var (pipeline, sink) = Make(processor, new LatencyBudget(10_000, DeadlinePolicy.Drop));
        using var slot = new NewestFrameSlot<CapturedFrame>(SlotMode.Lossless);
        pipeline.Run(slot, new FakeCapture(slot, 25), TimeSpan.Zero, CancellationToken.None);

        var lanes = sink.Of<LaneMessage>(TopicRegistry.Lanes);
        var carried = sink.Of<StatusMessage>(TopicRegistry.Status).SelectMany(s => s.Frames).ToList();
        Assert.Equal(lanes.Select(m => m.Header.Sequence), carried.Select(f => f.Header.Sequence));
        Assert.Equal(lanes.Select(m => m.PipelineLatencyMs), carried.Select(f => f.PipelineLatencyMs));
        Assert.Equal(lanes.Select(m => m.Header.Stages.Count), carried.Select(f => f.Header.Stages.Count));
        Assert.All(carried, f => Assert.True(f.Valid));
    }

    [Fact]
    public void Run_FramesPublishedInvalid_HeartbeatCarriesThemNotValidWithTheReason()
    {
        using var processor = new FakeProcessor();
        var (pipeline, sink) = Make(processor, new LatencyBudget(50, DeadlinePolicy.PublishInvalid));
        using var slot = new NewestFrameSlot<CapturedFrame>(SlotMode.Lossless);
        pipeline.Run(slot, new FakeCapture(slot, 5, ageMs: 500), TimeSpan.Zero, CancellationToken.None);

        var carried = sink.Of<StatusMessage>(TopicRegistry.Status).SelectMany(s => s.Frames).ToList();
        Assert.Equal(5, carried.Count);
        Assert.All(carried, f => Assert.False(f.Valid));
        Assert.All(carried, f => Assert.StartsWith("deadline", f.Reason));
    }

    [Fact]
    public void Run_ValidMessages_CarryEveryStageInOrder()
    {
        using var processor = new FakeProcessor();
        var (pipeline, sink) = Make(processor, new LatencyBudget(10_000, DeadlinePolicy.Drop));
        using var slot = new NewestFrameSlot<CapturedFrame>(SlotMode.Lossless);
        pipeline.Run(slot, new FakeCapture(slot, 3), TimeSpan.Zero, CancellationToken.None);
        var lanes = sink.Of<LaneMessage>(TopicRegistry.Lanes);
        Assert.All(lanes, m => Assert.Equal(
            ["capture", "queue", "preprocess", "infer", "postprocess", "encode"], m.Header.Stages.Select(s => s.Stage)));
        Assert.All(lanes, m => Assert.True(m.PipelineLatencyMs >= 0));
    }

    [Fact]
    public void Run_SlowModelDropOldest_AccountingHolds()
    {
        using var processor = new FakeProcessor { DelayMs = 15 };
        var (pipeline, sink) = Make(processor, new LatencyBudget(10_000, DeadlinePolicy.Drop));
        using var slot = new NewestFrameSlot<CapturedFrame>(SlotMode.DropOldest);
        pipeline.Run(slot, new FakeCapture(slot, 40, intervalMs: 2), TimeSpan.Zero, CancellationToken.None);
        var c = pipeline.Counters;
        Assert.Equal(40, c.Captured);
        Assert.True(c.DroppedStale > 0, "a model slower than the source must cause drops");
        Assert.Equal(c.Captured, c.Processed + c.DroppedStale + c.DroppedDeadline);
        Assert.Equal(c.Processed, sink.Of<LaneMessage>(TopicRegistry.Lanes).Count);
    }

    [Fact]
    public void Run_ExpiredFramesPolicyDrop_NothingPublishedAndCounted()
    {
        using var processor = new FakeProcessor();
        var (pipeline, sink) = Make(processor, new LatencyBudget(50, DeadlinePolicy.Drop));
        using var slot = new NewestFrameSlot<CapturedFrame>(SlotMode.Lossless);
        pipeline.Run(slot, new FakeCapture(slot, 5, ageMs: 500), TimeSpan.Zero, CancellationToken.None);
        Assert.Empty(sink.Of<LaneMessage>(TopicRegistry.Lanes));
        Assert.Equal(5, pipeline.Counters.DroppedDeadline);
        Assert.Equal(5, pipeline.Counters.DeadlineMisses);
        Assert.Equal(0, pipeline.Counters.Processed);
    }

    [Fact]
    public void Run_ExpiredFramesPolicyPublishInvalid_InvalidWithReasonOnEveryTopic()
    {
        using var processor = new FakeProcessor();
        var (pipeline, sink) = Make(processor, new LatencyBudget(50, DeadlinePolicy.PublishInvalid));
        using var slot = new NewestFrameSlot<CapturedFrame>(SlotMode.Lossless);
        pipeline.Run(slot, new FakeCapture(slot, 4, ageMs: 500), TimeSpan.Zero, CancellationToken.None);
        var perFrame = sink.Messages.Where(m => m.Topic != TopicRegistry.Status).Select(m => (PerceptionMessage)m.Message).ToList();
        Assert.Equal(4 * 3, perFrame.Count);
        Assert.All(perFrame, m => Assert.False(m.Valid));
        Assert.All(perFrame, m => Assert.StartsWith("deadline:", m.Reason));
        Assert.All(sink.Of<LaneMessage>(TopicRegistry.Lanes), m => Assert.Empty(m.Lanes));
        Assert.Equal(4, pipeline.Counters.PublishedInvalid);
    }

    [Fact]
    public void Run_InferenceThrows_FramePublishedInvalidAndOthersStillValid()
    {
        using var processor = new FakeProcessor { FailOn = i => i == 2 };
        var (pipeline, sink) = Make(processor, new LatencyBudget(10_000, DeadlinePolicy.Drop));
        using var slot = new NewestFrameSlot<CapturedFrame>(SlotMode.Lossless);
        pipeline.Run(slot, new FakeCapture(slot, 5), TimeSpan.Zero, CancellationToken.None);
        var vehicles = sink.Of<InstanceMessage>(TopicRegistry.Vehicles);
        Assert.Equal(5, vehicles.Count);
        Assert.False(vehicles[2].Valid);
        Assert.Equal("inference-failed: model exploded", vehicles[2].Reason);
        Assert.Empty(vehicles[2].Instances);
        Assert.True(vehicles[3].Valid);
        Assert.Equal(1, pipeline.Counters.PublishedInvalid);
    }

    [Fact]
    public void Run_StageBudget_OverrunsCounted()
    {
        using var processor = new FakeProcessor { DelayMs = 5 };
        var budget = new LatencyBudget(10_000, DeadlinePolicy.Drop, new Dictionary<string, double> { ["infer"] = 1 });
        var (pipeline, _) = Make(processor, budget);
        using var slot = new NewestFrameSlot<CapturedFrame>(SlotMode.Lossless);
        pipeline.Run(slot, new FakeCapture(slot, 3), TimeSpan.Zero, CancellationToken.None);
        Assert.Equal(3, pipeline.Counters.StageOverruns["infer"]);
    }
}
