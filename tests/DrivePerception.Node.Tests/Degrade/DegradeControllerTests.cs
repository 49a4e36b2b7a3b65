using DrivePerception.Core.Messages;
using DrivePerception.Node.Degrade;
using DrivePerception.Vision.Perception;
using OpenCvSharp;

namespace DrivePerception.Node.Tests.Degrade;

/// <summary>A degradable processor that records the plans it was given and does no work.</summary>
internal sealed class PlanRecordingProcessor : IDegradableProcessor
{
    public List<FramePlan> Plans { get; } = [];
    public int TrackResets { get; private set; }
    public IReadOnlyList<ModelStatus> Models { get; } = [new() { Name = "fake", Task = "semantic", Accelerator = "cpu", Precision = "fp32" }];
    public bool HasLanes { get; init; } = true;
    public IReadOnlyList<string> LightSemanticNames { get; init; } = ["light"];
    public FramePlan Plan
    {
        get => Plans.Count == 0 ? FramePlan.Full : Plans[^1];
        set => Plans.Add(value);
    }
    public void ResetTracks() => TrackResets++;
    public void Preprocess(Mat frame) { }
    public void Infer() { }
    public FrameResult Postprocess(int w, int h, long seq) => new() { Lanes = Plan.Lanes ? [] : null };
    public void Dispose() { }
}

public class DegradeControllerTests
{
    private const double Interval = 1000.0 / 15;

    private static DegradeController Controller(PlanRecordingProcessor processor, RungCost[] costs, List<string> log)
    {
        var ladder = new DegradeLadder(processor.HasLanes, processor.LightSemanticNames);
        return new(processor, ladder, new DegradePolicy(costs, Interval, 100, framesEvery: ladder.Rungs.Select(r => r.FramesEvery).ToList()), log.Add);
    }

    [Fact]
    public void Ctor_WarmUpTooSlowForFullWork_StartsDegradedAndSaysWhy()
    {
        var log = new List<string>();
        var controller = Controller(new PlanRecordingProcessor(), [new(90, 90), new(60, 90), new(30, 30), new(30, 30)], log);

        var status = controller.Status();
        Assert.Equal(("auto", 2, "light-model", 1L), (status.Mode, status.Level, status.Name, status.Changes));
        Assert.StartsWith("warm-up: full work takes 90.0 ms a frame", status.Reason);
        Assert.Contains("lanes on every 2nd frame", status.GaveUp);
        Assert.StartsWith("degrade: step down to level 2 (light-model", Assert.Single(log));
    }

    [Fact]
    public void BeginFrame_LanesEvery2nd_SkipsLanesOnEveryOtherFrameWithTheReason()
    {
        var processor = new PlanRecordingProcessor();
        var controller = Controller(processor, [new(90, 90), new(60, 90), new(30, 30), new(30, 30)], []);

        var reasons = Enumerable.Range(0, 6).Select(i => controller.BeginFrame(i)).ToList();

        Assert.Equal([null, "degraded-skip: light-model (docs/DEGRADE.md)", null, "degraded-skip: light-model (docs/DEGRADE.md)", null,
            "degraded-skip: light-model (docs/DEGRADE.md)"], reasons);
        Assert.All(processor.Plans, p => Assert.True(p.LightSemantic));
        Assert.Equal([true, false, true, false, true, false], processor.Plans.Select(p => p.Lanes));
    }

    [Fact]
    public void FrameProcessed_SlowWindows_StepsDownLogsAndCountsTheChange()
    {
        var log = new List<string>();
        var controller = Controller(new PlanRecordingProcessor(), [new(40, 40), new(30, 40), new(20, 20), new(20, 20)], log);
        Assert.Equal(0, controller.Level);

        for (int i = 0; i < 20; i++)
        {
            controller.BeginFrame(i);
            controller.FrameProcessed(80, 85);
        }

        var status = controller.Status();
        Assert.Equal((1, 1L), (status.Level, status.Changes)); // 80 * 30/40 = 60 ms fits 66.7: one rung is enough
        Assert.Contains("processing mean 80.0 ms > 66.7 ms frame interval", status.Reason);
        Assert.Equal((80.0, 80.0), (status.ProcessingP50Ms, status.ProcessingP90Ms));
        Assert.Contains("degrade: step down to level 1 (lanes-every-2nd", Assert.Single(log));
    }

    [Fact]
    public void Off_NeverSetsAPlanAndStatusSaysWhy()
    {
        var controller = DegradeController.Off("--degrade off");
        for (int i = 0; i < 50; i++)
        {
            Assert.Null(controller.SkipFrame(i));
            Assert.Null(controller.BeginFrame(i));
            controller.FrameProcessed(500, 900);
        }
        var status = controller.Status();
        Assert.Equal(("off", 0, "--degrade off", 0L), (status.Mode, status.Level, status.Reason, status.Changes));
    }

    [Fact]
    public void BeginFrame_NoLaneModel_NeverReportsSkippedLanes()
    {
        var processor = new PlanRecordingProcessor { HasLanes = false };
        var controller = Controller(processor, [new(90, 90), new(30, 30), new(30, 30)], []);
        Assert.Equal(1, controller.Level);
        Assert.All(Enumerable.Range(0, 4), i => Assert.Null(controller.BeginFrame(i)));
    }

    [Fact]
    public void SkipFrame_HalfRate_EveryOtherSequenceSkippedAfterTheFirstProcessed()
    {
        var controller = Controller(new PlanRecordingProcessor(), [new(300, 300), new(250, 300), new(150, 160), new(150, 160)], []);
        Assert.Equal(("half-rate", 3), (controller.Status().Name, controller.Level));

        var skipped = new List<long>();
        for (long seq = 0; seq < 8; seq++)
        {
            if (controller.SkipFrame(seq) is { } why)
            {
                Assert.Equal("degraded-skip: half-rate (docs/DEGRADE.md)", why);
                skipped.Add(seq);
            }
            else controller.BeginFrame(seq);
        }
        Assert.Equal([1L, 3, 5, 7], skipped);
        // A frame the slot dropped leaves a gap: the next one is processed, it is already two intervals on.
        Assert.Null(controller.SkipFrame(9));
    }
}
