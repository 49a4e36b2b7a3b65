using DrivePerception.Node.Pipeline;

namespace DrivePerception.Node.Tests.Pipeline;

public class LatencyWindowTests
{
    [Fact]
    public void Percentile_NearestRank_OnHandMadeSamples()
    {
        var w = new LatencyWindow(100);
        for (int i = 1; i <= 100; i++) w.Add(i);
        Assert.Equal(50, w.Percentile(50));
        Assert.Equal(99, w.Percentile(99));
        Assert.Equal(100, w.Percentile(100));
        Assert.Equal(1, w.Percentile(0));
    }

    [Fact]
    public void Add_PastCapacity_EvictsOldest()
    {
        var w = new LatencyWindow(3);
        foreach (var v in new[] { 100.0, 1, 2, 3 }) w.Add(v);
        Assert.Equal(3, w.Count);
        Assert.Equal(3, w.Percentile(100));
    }

    [Fact]
    public void Percentile_Empty_IsZero() => Assert.Equal(0, new LatencyWindow().Percentile(99));
}
