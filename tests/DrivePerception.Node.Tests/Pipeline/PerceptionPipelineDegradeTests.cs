using DrivePerception.Core.Budgets;
using DrivePerception.Core.Messages;
using DrivePerception.Core.Topics;
using DrivePerception.Node.Degrade;
using DrivePerception.Node.Pipeline;
using DrivePerception.Node.Tests.Degrade;

namespace DrivePerception.Node.Tests.Pipeline;

/// <summary>The pipeline under a degrade controller fixed at a rung (warm-up costs made up, step ups out of reach): no timing involved.</summary>
public class PerceptionPipelineDegradeTests
{
    private static readonly DegradeSettings NeverUp = new() { UpAfterWindows = 1_000_000, MaxUpAfterWindows = 1_000_000 };

    private static RecordingSink Run(DegradeController degrade, PlanRecordingProcessor processor, int frames)
    {
        var sink = new RecordingSink();
        var budget = new LatencyBudget(10_000, DeadlinePolicy.PublishInvalid);
        var heartbeat = new StatusHeartbeat("fake", budget.DeadlineMs, processor.Models, TimeSpan.FromSeconds(1));
        var pipeline = new PerceptionPipeline(processor, sink, budget, false, heartbeat, degrade);
        using var slot = new NewestFrameSlot<CapturedFrame>(SlotMode.Lossless);
        pipeline.Run(slot, new FakeCapture(slot, frames), TimeSpan.Zero, CancellationToken.None);
        return sink;
    }

    [Fact]
    public void Run_AtLanesEvery2nd_LanesAlternateValidAndDegradedSkipWhileInstancesStayValid()
    {
        var processor = new PlanRecordingProcessor { LightSemanticNames = [] };
        var ladder = new DegradeLadder(hasLanes: true, lightSemantics: null);
        // Rung 0 too slow for 15 fps at warm-up, rung 1 fits: it starts at rung 1 and, 10000 ms deadline or not, stays.
        var policy = new DegradePolicy([new(90, 90), new(50, 90), new(50, 90)], 1000.0 / 15, 10_000, NeverUp, framesEvery: [1, 1, 2]);
        var sink = Run(new DegradeController(processor, ladder, policy, _ => { }), processor, frames: 12);

        var lanes = sink.Of<LaneMessage>(TopicRegistry.Lanes);
        Assert.Equal(12, lanes.Count);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => i % 2 == 0), lanes.Select(m => m.Valid));
        Assert.All(lanes.Where(m => !m.Valid), m => Assert.Equal("degraded-skip: lanes-every-2nd (docs/DEGRADE.md)", m.Reason));
        Assert.All(sink.Of<InstanceMessage>(TopicRegistry.Vehicles), m => Assert.True(m.Valid));
        // Skipped lanes are published with a reason, not counted as frames the node failed.
        Assert.Equal(0, sink.Of<StatusMessage>(TopicRegistry.Status)[^1].Counters.PublishedInvalid);
        var beat = sink.Of<StatusMessage>(TopicRegistry.Status)[0];
        Assert.Equal(("auto", 1, "degraded"), (beat.Degrade.Mode, beat.Degrade.Level, beat.Health));
        Assert.StartsWith("degrade level 1, lanes on every 2nd frame", beat.Message);
    }

    [Fact]
    public void Run_AtHalfRate_EveryOtherFrameNotValidOnEveryTopicAndLanesEveryOtherProcessed()
    {
        var processor = new PlanRecordingProcessor { LightSemanticNames = [] };
        var ladder = new DegradeLadder(hasLanes: true, lightSemantics: null);
        var policy = new DegradePolicy([new(300, 300), new(250, 300), new(250, 300)], 1000.0 / 15, 10_000, NeverUp, framesEvery: [1, 1, 2]);
        var sink = Run(new DegradeController(processor, ladder, policy, _ => { }), processor, frames: 12);

        const string skip = "degraded-skip: half-rate (docs/DEGRADE.md)";
        var vehicles = sink.Of<InstanceMessage>(TopicRegistry.Vehicles);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => i % 2 == 0), vehicles.Select(m => m.Valid));
        Assert.All(vehicles.Where(m => !m.Valid), m => Assert.Equal(skip, m.Reason));
        // Of the processed frames 0, 2, 4, ... the lanes run on 0, 4, 8 (every other processed frame).
        var lanes = sink.Of<LaneMessage>(TopicRegistry.Lanes);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => i % 4 == 0), lanes.Select(m => m.Valid));
        Assert.Equal(6, sink.Of<StatusMessage>(TopicRegistry.Status)[^1].Counters.PublishedInvalid);
    }

    [Fact]
    public void Run_DegradeOff_EveryLaneComputedAndStatusSaysOff()
    {
        var processor = new PlanRecordingProcessor();
        var sink = Run(DegradeController.Off("--degrade off"), processor, frames: 12);

        Assert.All(sink.Of<LaneMessage>(TopicRegistry.Lanes), m => Assert.True(m.Valid));
        Assert.Empty(processor.Plans);
        Assert.All(sink.Of<StatusMessage>(TopicRegistry.Status), s => Assert.Equal(("off", 0), (s.Degrade.Mode, s.Degrade.Level)));
    }
}
