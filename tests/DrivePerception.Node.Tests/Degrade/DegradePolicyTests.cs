using DrivePerception.Node.Degrade;

namespace DrivePerception.Node.Tests.Degrade;

/// <summary>
/// The policy fed made-up frame times, so nothing here depends on the machine. The ladder of these tests: rung 0 costs
/// 60 ms a frame, rung 1 (lanes every 2nd frame) 45 ms on average with 60 ms frames, rung 2 (light model) 25 ms; the source
/// runs at 15 fps (66.7 ms) with a 100 ms deadline. A "load" multiplies every rung's cost alike, as a busy CPU does.
/// </summary>
public class DegradePolicyTests
{
    private const double Interval = 1000.0 / 15;
    private const double Deadline = 100;
    private static readonly RungCost[] Costs = [new(60, 60), new(45, 60), new(25, 30)];
    private static readonly DegradeSettings Settings = new();

    private static DegradePolicy Policy(DegradeSettings? settings = null) => new(Costs, Interval, Deadline, settings ?? Settings);

    /// <summary>Feeds <paramref name="windows"/> windows at <paramref name="load"/> times each rung's cost; returns the changes.</summary>
    private static List<DegradeDecision> Feed(DegradePolicy policy, double load, int windows, double[]? trueCosts = null)
    {
        var changes = new List<DegradeDecision>();
        for (int w = 0; w < windows; w++)
            for (int f = 0; f < Settings.WindowFrames; f++)
            {
                double ms = (trueCosts ?? Costs.Select(c => c.MeanMs).ToArray())[policy.Level] * load;
                if (policy.Observe(ms, ms + 5) is { } change) changes.Add(change);
            }
        return changes;
    }

    [Fact]
    public void Observe_FramesWithinInterval_StaysAtFullWork()
    {
        var policy = Policy();
        Assert.Empty(Feed(policy, load: 1.0, windows: 50));
        Assert.Equal(0, policy.Level);
    }

    [Fact]
    public void Observe_OverIntervalForOneWindow_HoldsThenStepsDownAfterTheSecond()
    {
        var policy = Policy();
        Assert.Empty(Feed(policy, load: 1.3, windows: 1)); // 78 ms > 66.7 once: not yet
        var change = Assert.Single(Feed(policy, load: 1.3, windows: 1));

        Assert.Equal((0, 1), (change.From, change.To));
        Assert.Contains("processing mean 78.0 ms > 66.7 ms frame interval", change.Reason);
    }

    [Fact]
    public void Observe_OneSlowWindowBetweenGoodOnes_NeverStepsDown()
    {
        var policy = Policy();
        for (int i = 0; i < 20; i++)
        {
            Assert.Empty(Feed(policy, load: 1.5, windows: 1));
            Assert.Empty(Feed(policy, load: 1.0, windows: 1));
        }
        Assert.Equal(0, policy.Level);
    }

    [Fact]
    public void Observe_OneStallPerWindow_IsLeftOutOfTheMean()
    {
        var policy = Policy();
        for (int i = 0; i < 100; i++)
            Assert.Null(policy.Observe(i % Settings.WindowFrames == 0 ? 900 : 60, 65));
        Assert.Equal(0, policy.Level);
    }

    [Fact]
    public void Observe_FarOverBudget_StepsStraightToTheFirstRungPredictedToFit()
    {
        var policy = Policy();
        // At 2x every rung: rung 1 would take 90 ms (> 66.7), rung 2 50 ms: go to 2 in one step.
        var change = Assert.Single(Feed(policy, load: 2.0, windows: 2));
        Assert.Equal((0, 2), (change.From, change.To));
    }

    [Fact]
    public void Observe_EndToEndPastDeadline_StepsDownNamingTheDeadline()
    {
        var policy = Policy();
        DegradeDecision? change = null;
        for (int i = 0; i < 2 * Settings.WindowFrames; i++) change ??= policy.Observe(40, 130); // quick to process, late to publish
        Assert.NotNull(change);
        Assert.Contains("end-to-end p90 130.0 ms > 100 ms deadline", change.Reason);
    }

    [Fact]
    public void Observe_EveryFramePastDeadlineBeforeProcessing_StepsDown()
    {
        var policy = Policy();
        DegradeDecision? change = null;
        for (int i = 0; i < 2 * Settings.WindowFrames; i++) change ??= policy.Observe(double.NaN, 150);
        Assert.NotNull(change);
        Assert.Equal(1, policy.Level);
        Assert.Contains("past its 100 ms deadline", change.Reason);
    }

    [Fact]
    public void Observe_LoadGoneForFiveWindows_StepsBackUpOneRungAtATime()
    {
        var policy = Policy();
        Feed(policy, load: 2.0, windows: 2);
        Assert.Equal(2, policy.Level);

        Assert.Empty(Feed(policy, load: 1.0, windows: Settings.UpAfterWindows - 1)); // comfortable, not long enough yet
        var up = Assert.Single(Feed(policy, load: 1.0, windows: 1));
        Assert.Equal((2, 1), (up.From, up.To));
        Assert.Contains("level 1 predicted 45.0 ms", up.Reason);

        // Rung 0 predicted at 60 ms, over 85 % of 66.7 ms: it stays at rung 1 for good.
        Assert.Empty(Feed(policy, load: 1.0, windows: 200));
        Assert.Equal(1, policy.Level);
    }

    [Fact]
    public void Observe_SteadyLoadAtTheEdge_StepsDownOnceAndNeverFlaps()
    {
        var policy = Policy();
        // 1.15x: rung 0 at 69 ms cannot hold 66.7 ms; rung 1 at 51.8 ms can, and rung 0 is never predicted to fit.
        var changes = Feed(policy, load: 1.15, windows: 500);
        var change = Assert.Single(changes);
        Assert.Equal((0, 1), (change.From, change.To));
    }

    [Fact]
    public void Observe_WarmUpRatioTooOptimistic_FailedStepUpsWaitLongerEachTime()
    {
        var policy = Policy();
        // Really rung 0 costs 80 ms and rung 1 45 ms, but the warm-up said 60 and 45. At 0.9x, rung 1 takes 40.5 ms and
        // predicts rung 0 at 54 ms (within 85 % of 66.7 ms), but rung 0 really takes 72 ms: every step up is undone.
        var changes = Feed(policy, load: 0.9, windows: 600, trueCosts: [80, 45, 25]);
        var ups = changes.Count(c => c.To < c.From);

        // Waits 5, 10, 20, 40, 40, ... windows: about 16 tries in 600 windows instead of 100 at a fixed wait of 5.
        Assert.InRange(ups, 5, 20);
        Assert.Equal(Settings.MaxUpAfterWindows, policy.UpAfterWindows(1));
    }

    private static readonly double[] HalfRateCosts = [60, 45, 25, 25];

    [Fact]
    public void Observe_EvenTheLightRungOverTheInterval_StepsToHalfRateWhichHoldsTwoIntervals()
    {
        var policy = new DegradePolicy([.. Costs, new(25, 30)], Interval, Deadline, Settings, framesEvery: [1, 1, 1, 2]);
        // At 3x: rung 2 would take 75 ms (> 66.7), half-rate the same 75 ms against 133 ms.
        var change = Assert.Single(Feed(policy, load: 3.0, windows: 2, HalfRateCosts));
        Assert.Equal((0, 3), (change.From, change.To));

        // 75 ms holds 133 ms, and rung 2 (75 ms) does not fit 85 % of 66.7 ms: it stays.
        Assert.Empty(Feed(policy, load: 3.0, windows: 100, HalfRateCosts));
        // Over even at half-rate: at the top there is nothing more to give up, and no change is announced.
        Assert.Empty(Feed(policy, load: 6.0, windows: 5, HalfRateCosts));
        Assert.Equal(3, policy.Level);
    }

    [Fact]
    public void Start_FullWorkFits_StartsAtFullWork()
    {
        var policy = new DegradePolicy([new(40, 45), new(30, 45), new(20, 25)], Interval, Deadline);
        Assert.Null(policy.Start());
        Assert.Equal(0, policy.Level);
    }

    [Fact]
    public void Start_FullWorkTooSlow_StartsAtTheFirstRungThatFits()
    {
        var policy = Policy();
        var start = policy.Start();

        Assert.NotNull(start);
        Assert.Equal((0, 1), (start.From, start.To));
        Assert.StartsWith("warm-up: full work takes 60.0 ms a frame, over 85 % of the 66.7 ms frame interval", start.Reason);
    }

    [Fact]
    public void Start_NothingFits_StartsAtTheTop()
    {
        var policy = new DegradePolicy([new(300, 300), new(250, 300), new(150, 160)], Interval, Deadline);
        Assert.Equal(2, policy.Start()!.To);
    }

    [Fact]
    public void Ctor_SourceWithoutRate_HoldsTheDeadline()
    {
        var policy = new DegradePolicy(Costs, frameIntervalMs: 0, Deadline);
        Assert.Equal(Deadline, policy.FrameIntervalMs);
    }

    [Fact]
    public void Ctor_CostsOutOfOrder_Throws()
    {
        Assert.Throws<ArgumentException>(() => new DegradePolicy([], Interval, Deadline));
        Assert.Throws<ArgumentException>(() => new DegradePolicy([new(50, 40)], Interval, Deadline));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DegradePolicy(Costs, Interval, 0));
    }
}
