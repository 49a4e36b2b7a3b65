using DrivePerception.Node.Degrade;
using DrivePerception.Vision.Perception;

namespace DrivePerception.Node.Tests.Degrade;

public class DegradeWarmUpTests
{
    [Fact]
    public void Measure_EveryPlanOfTheLadder_TimedRoundByRoundThenBackToFullWithTracksReset()
    {
        var processor = new PlanRecordingProcessor();
        var ladder = new DegradeLadder(hasLanes: true, lightSemantics: ["light"]);

        var costs = DegradeWarmUp.Measure(processor, ladder, repeats: 3);

        Assert.Equal(4, costs.Count);
        Assert.Equal(costs[2], costs[3]); // half-rate does the light rung's work per frame
        Assert.All(costs, c => Assert.True(c.MeanMs >= 0 && c.MaxMs >= c.MeanMs));
        // Four distinct plans (full; no lanes; light with and without lanes), three rounds of all four, then full.
        var distinct = new[] { FramePlan.Full, new FramePlan(false, 0), new FramePlan(true, 1), new FramePlan(false, 1) };
        Assert.Equal(Enumerable.Repeat(distinct, 3).SelectMany(p => p).Append(FramePlan.Full), processor.Plans);
        Assert.Equal(1, processor.TrackResets);
    }
}
