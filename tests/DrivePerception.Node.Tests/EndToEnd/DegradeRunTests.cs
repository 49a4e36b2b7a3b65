using DrivePerception.Vision.Inference;
using DrivePerception.Core.Budgets;
using DrivePerception.Core.Messages;
using DrivePerception.Core.Topics;
using DrivePerception.Node.Degrade;
using DrivePerception.Node.Hosting;
using DrivePerception.Node.Options;
using DrivePerception.Node.Pipeline;

namespace DrivePerception.Node.Tests.EndToEnd;

/// <summary>
/// The node, in process, with the shipped models made six times slower (<see cref="RunOptions.InferSlowdown"/> runs the
/// real inference six times per frame), on the drive clip paced at 15 fps. Six times the shipped models' CPU cost is far
/// over 66.7 ms a frame on any CPU this runs on, and a busy machine only makes it slower, so the node must step down
/// (load cannot make these tests pass or fail). With --degrade off it must not.
/// </summary>
public class DegradeRunTests : IDisposable
{
    private const int Slowdown = 6;
    private readonly TempFolder _folder = new("degrade");
    private readonly string _clip;

    public DegradeRunTests()
    {
        // 8 s at 15 fps: long enough for a few slowed frames even when the test run loads the machine 15 times over
        // (load average 35 measured), where one slowed frame can take a second.
        _clip = DriveClip.WriteVideo(_folder.File("drive.avi"), 120, fps: 15);
    }

    public void Dispose() => _folder.Dispose();

    /// <summary>Keeps every message the node publishes (the objects, in publish order).</summary>
    private sealed class MessageLog : IWireSink
    {
        public List<(Topic Topic, object Message)> Messages { get; } = [];
        public void Accept(Topic topic, object message, ReadOnlySpan<byte> payload) => Messages.Add((topic, message));
        public List<T> Of<T>(Topic topic) => Messages.Where(m => m.Topic == topic).Select(m => (T)m.Message).ToList();
    }

    private MessageLog Run(DegradeMode mode, long maxFrames)
    {
        var log = new MessageLog();
        var options = new RunOptions
        {
            Source = new SourceStageOptions { Spec = _clip, Rate = SourceRate.Source, MaxFrames = maxFrames },
            Models = new ModelStageOptions
            {
                SemanticModel = ProductPaths.DefaultSemanticModel,
                LaneModel = ProductPaths.DefaultLaneModel,
                Accelerator = Accelerator.Cpu,
                InferSlowdown = Slowdown,
            },
            Publish = new PublishStageOptions
            {
                Endpoint = $"inproc://degrade-test-{Guid.NewGuid():N}",
                Budget = new LatencyBudget(100, DeadlinePolicy.PublishInvalid),
                Degrade = mode,
            },
            Quiet = true,
        };
        Assert.Equal(0, NodeRunner.Run(options, FrameSourceRegistry.ForNode(), CancellationToken.None, log));
        return log;
    }

    [Fact]
    public void Run_InferenceSixTimesSlower_StepsDownAndSkipsLanesEveryOtherFrameWithTheReason()
    {
        var log = Run(DegradeMode.Auto, maxFrames: 0);

        var statuses = log.Of<StatusMessage>(TopicRegistry.Status);
        var final = statuses[^1];
        Assert.Equal(("stopped", "auto"), (final.Health, final.Degrade.Mode));
        Assert.True(final.Degrade.Level >= 1 && final.Degrade.Changes >= 1, $"never stepped down: {final.Degrade.Reason}");
        Assert.Contains(statuses, s => s.Health == "degraded" && s.Message.StartsWith($"degrade level "));
        Assert.Matches(@"frame interval|deadline", final.Degrade.Reason);
        Assert.Equal(1000.0 / 15, final.Degrade.FrameIntervalMs, 3);

        // Frames the pipeline processed (their vehicles valid: not past their deadline, not skipped whole at half-rate),
        // in order: at every rung above 0 the lane model runs on every other one, so two skipped in a row never happen.
        var processed = log.Of<InstanceMessage>(TopicRegistry.Vehicles).Where(m => m.Valid).Select(m => m.Header.Sequence).ToHashSet();
        var lanes = log.Of<LaneMessage>(TopicRegistry.Lanes).Where(m => processed.Contains(m.Header.Sequence)).ToList();
        var skipped = lanes.Select(m => m.Reason.StartsWith(DegradeLadder.SkipReason + ": ")).ToList();
        Assert.True(lanes.Count >= 2, $"only {lanes.Count} frames processed in 8 s: nothing to see the pattern in");
        Assert.Contains(true, skipped);
        Assert.DoesNotContain(skipped.Zip(skipped.Skip(1)), pair => pair.First && pair.Second);
        Assert.All(lanes, m => Assert.True(m.Valid || m.Reason.StartsWith(DegradeLadder.SkipReason + ": "), m.Reason));
        if (final.Degrade.Changes == 1) // the warm-up's rung held to the end: strict alternation from the first frame
            Assert.Equal(Enumerable.Range(0, lanes.Count).Select(i => i % 2 == 1), skipped);
        // Frames skipped whole (half-rate) carry the reason on every topic; nothing else is not valid but for the deadline.
        Assert.All(log.Of<InstanceMessage>(TopicRegistry.Vehicles).Where(m => !m.Valid),
            m => Assert.Matches(@"^(degraded-skip: half-rate|deadline: )", m.Reason));
    }

    [Fact]
    public void Run_InferenceSixTimesSlowerDegradeOff_NeverStepsDown()
    {
        var log = Run(DegradeMode.Off, maxFrames: 8);

        var statuses = log.Of<StatusMessage>(TopicRegistry.Status);
        Assert.All(statuses, s => Assert.Equal(("off", 0, "--degrade off"), (s.Degrade.Mode, s.Degrade.Level, s.Degrade.Reason)));
        Assert.DoesNotContain(log.Of<LaneMessage>(TopicRegistry.Lanes), m => m.Reason.StartsWith(DegradeLadder.SkipReason));
        // The lighter model is not even loaded.
        Assert.All(statuses, s => Assert.DoesNotContain(s.Models, m => m.Name == "camvid-fast"));
    }
}
