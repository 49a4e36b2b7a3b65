using DrivePerception.Node.Degrade;
using DrivePerception.Vision.Perception;

namespace DrivePerception.Node.Tests.Degrade;

public class DegradeLadderTests
{
    [Fact]
    public void Ctor_LanesAndLightModel_ThreeRungsLanesFirst()
    {
        var ladder = new DegradeLadder(hasLanes: true, lightSemantics: ["camvid-fast"]);

        Assert.Equal(["full", "lanes-every-2nd", "light-model", "half-rate"], ladder.Rungs.Select(r => r.Name));
        Assert.Equal([1, 2, 2, 2], ladder.Rungs.Select(r => r.LanesEvery));
        Assert.Equal([false, false, true, true], ladder.Rungs.Select(r => r.LightSemantic));
        Assert.Equal([1, 1, 1, 2], ladder.Rungs.Select(r => r.FramesEvery));
        Assert.EndsWith("every 2nd captured frame (published valid=false on every topic, reason degraded-skip)", ladder.Rungs[3].GaveUp);
        Assert.Contains("camvid-fast in place of the semantic model", ladder.Rungs[2].GaveUp);
        Assert.Equal("", ladder.Rungs[0].GaveUp);
    }

    [Fact]
    public void Ctor_TwoLightModels_OneRungEachLightestLastThenHalfRate()
    {
        var ladder = new DegradeLadder(hasLanes: true, lightSemantics: ["camvid-fast", "camvid-fast-small"]);

        Assert.Equal(["full", "lanes-every-2nd", "light-model", "light-small-input", "half-rate"], ladder.Rungs.Select(r => r.Name));
        Assert.Equal([0, 0, 1, 2, 2], ladder.Rungs.Select(r => r.LightTier));
        Assert.Equal([1, 2, 2, 2, 2], ladder.Rungs.Select(r => r.LanesEvery));
        Assert.Contains("camvid-fast-small in place of the semantic model", ladder.Rungs[3].GaveUp);
        Assert.All(Enumerable.Range(0, 4), i => Assert.Equal(2, ladder.PlanFor(3, i).LightTier));
        Assert.All(Enumerable.Range(0, 4), i => Assert.Equal(1, ladder.PlanFor(2, i).LightTier));
    }

    [Fact]
    public void Ctor_NoLaneModel_OnlyTheLightRung()
    {
        var ladder = new DegradeLadder(hasLanes: false, lightSemantics: ["camvid-fast"]);
        Assert.Equal(["full", "light-model", "half-rate"], ladder.Rungs.Select(r => r.Name));
        Assert.Equal(1, ladder.Rungs[1].LanesEvery);
    }

    [Fact]
    public void Ctor_NoLanesNoLightModel_OnlyHalfTheFrames()
    {
        var ladder = new DegradeLadder(hasLanes: false, lightSemantics: null);
        Assert.Equal(["full", "half-rate"], ladder.Rungs.Select(r => r.Name));
        Assert.Equal((1, false, 2), (ladder.Rungs[1].LanesEvery, ladder.Rungs[1].LightSemantic, ladder.Rungs[1].FramesEvery));
    }

    [Fact]
    public void PlanFor_LanesEvery2nd_LanesOnEveryOtherProcessedFrameStartingWithTheFirst()
    {
        var ladder = new DegradeLadder(hasLanes: true, lightSemantics: ["camvid-fast"]);

        Assert.Equal([true, false, true, false], Enumerable.Range(0, 4).Select(i => ladder.PlanFor(1, i).Lanes));
        Assert.All(Enumerable.Range(0, 4), i => Assert.Equal(FramePlan.Full, ladder.PlanFor(0, i)));
        Assert.All(Enumerable.Range(0, 4), i => Assert.True(ladder.PlanFor(2, i).LightSemantic));
        Assert.Equal("degraded-skip: lanes-every-2nd (docs/DEGRADE.md)", ladder.SkipReasonFor(1));
    }
}
