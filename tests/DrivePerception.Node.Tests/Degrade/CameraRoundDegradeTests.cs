using DrivePerception.Node.Degrade;
using DrivePerception.Vision.Perception;

namespace DrivePerception.Node.Tests.Degrade;

/// <summary>
/// The node-wide ladder of a node with several cameras, fed made-up times (no clock): it decides on rounds over every
/// camera, and every camera's controller follows it.
/// </summary>
public class CameraRoundDegradeTests
{
    private const double Interval = 1000.0 / 15;
    private static readonly DegradeSettings Settings = new();

    /// <summary>A ladder with lanes and a light model whose warm-up round fits the interval: it starts at full work.</summary>
    private static CameraRoundDegrade Node(List<string> log)
    {
        var ladder = new DegradeLadder(hasLanes: true, lightSemantics: ["light"]);
        var policy = new DegradePolicy([new(50, 50), new(40, 50), new(25, 30), new(25, 30)], Interval, 100,
            framesEvery: ladder.Rungs.Select(r => r.FramesEvery).ToList());
        return new CameraRoundDegrade(ladder, policy, log.Add);
    }

    /// <summary>Rounds of <paramref name="cameras"/> frames, each <paramref name="frameMs"/> to process, <paramref name="endToEndMs"/> end to end.</summary>
    private static void Rounds(CameraRoundDegrade node, int rounds, int cameras, double frameMs, double endToEndMs, double? stepMs = null)
    {
        for (int r = 0; r < rounds; r++)
        {
            for (int c = 0; c < cameras; c++) node.Frame(frameMs, endToEndMs);
            node.EndRound(stepMs);
        }
    }

    [Fact]
    public void EndRound_FourCamerasEachWithinTheIntervalButTheRoundOver_StepsDownTheWholeNode()
    {
        var log = new List<string>();
        var node = Node(log);
        var cameras = Enumerable.Range(0, 4).Select(_ => node.ControllerFor(new PlanRecordingProcessor())).ToList();

        // 25 ms a frame fits 66.7 ms for one camera; four of them in one round take 100 ms.
        Rounds(node, 2 * Settings.WindowFrames, cameras: 4, frameMs: 25, endToEndMs: 60);

        Assert.True(node.Policy.Level > 0, $"level {node.Policy.Level}; {string.Join(" | ", log)}");
        Assert.All(cameras, c => Assert.Equal(node.Policy.Level, c.Level));
        Assert.All(cameras, c => Assert.Equal(1, c.Status().Changes));
        Assert.Contains("processing mean 100.0 ms", Assert.Single(log));
        Assert.EndsWith("(every camera)", log[0]);
    }

    [Fact]
    public void EndRound_OneCameraOfTheSameFrames_StaysAtFullWork()
    {
        var log = new List<string>();
        var node = Node(log);

        Rounds(node, 5 * Settings.WindowFrames, cameras: 1, frameMs: 25, endToEndMs: 30);

        Assert.Equal(0, node.Policy.Level);
        Assert.Empty(log);
    }

    [Fact]
    public void EndRound_BatchedStepWithinTheInterval_TakesTheStepTimeNotEachCamerasShareOfTheBatch()
    {
        var log = new List<string>();
        var node = Node(log);

        // Batched: each camera's processing holds the whole batch (50 ms), the step itself took 45 ms.
        Rounds(node, 5 * Settings.WindowFrames, cameras: 4, frameMs: 50, endToEndMs: 55, stepMs: 45);

        Assert.Equal(0, node.Policy.Level);
        Assert.Empty(log);
    }

    [Fact]
    public void EndRound_RoundWithoutFrames_IsNoMeasurement()
    {
        var node = Node([]);

        for (int i = 0; i < 5 * Settings.WindowFrames; i++) node.EndRound(null);

        Assert.Null(node.Policy.LastWindow);
    }

    [Fact]
    public void BeginFrame_NodeStepsDownBetweenACamerasFrames_CameraPlansFromTheNewRungsFirstFrame()
    {
        var node = Node([]);
        var processor = new PlanRecordingProcessor();
        var camera = node.ControllerFor(processor);
        // Full work: three frames, lanes on each.
        for (int seq = 0; seq < 3; seq++) Assert.Null(camera.BeginFrame(seq));

        Rounds(node, 2 * Settings.WindowFrames, cameras: 4, frameMs: 25, endToEndMs: 60);
        var reasons = Enumerable.Range(3, 4).Select(seq => camera.BeginFrame(seq)).ToList();

        // Lanes every 2nd frame counted from the change: the first frame at the new rung has its lanes.
        Assert.Null(reasons[0]);
        Assert.StartsWith("degraded-skip:", reasons[1]);
        Assert.Null(reasons[2]);
        Assert.True(processor.Plans[^4].Lanes);
        Assert.False(processor.Plans[^3].Lanes);
    }

    [Fact]
    public void FrameNotProcessed_RoundOfLateFramesOnly_StepsDownNamingTheDeadline()
    {
        var log = new List<string>();
        var node = Node(log);
        var cameras = Enumerable.Range(0, 2).Select(_ => node.ControllerFor(new PlanRecordingProcessor())).ToList();

        for (int r = 0; r < 2 * Settings.WindowFrames; r++)
        {
            foreach (var c in cameras) c.FrameNotProcessed(150);
            node.EndRound(null);
        }

        Assert.True(node.Policy.Level > 0);
        Assert.Contains("deadline", Assert.Single(log));
    }
}
