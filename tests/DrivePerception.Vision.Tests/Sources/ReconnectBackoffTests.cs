using DrivePerception.Vision.Sources;

namespace DrivePerception.Vision.Tests.Sources;

public sealed class ReconnectBackoffTests
{
    [Fact]
    public void NextDelay_Defaults_DoublesFromHalfSecondUpToEight()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(8));
        var delays = Enumerable.Range(0, 7).Select(_ => backoff.NextDelay().TotalSeconds).ToArray();
        Assert.Equal([0.5, 1, 2, 4, 8, 8, 8], delays);
    }

    [Fact]
    public void NextDelay_MaxNotAPowerOfTwo_CapsAtMax()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3));
        Assert.Equal([1.0, 2, 3, 3], Enumerable.Range(0, 4).Select(_ => backoff.NextDelay().TotalSeconds));
    }

    [Fact]
    public void Reset_AfterSuccess_StartsAgainFromInitial()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(8));
        backoff.NextDelay();
        backoff.NextDelay();
        backoff.Reset();
        Assert.Equal(TimeSpan.FromSeconds(0.5), backoff.NextDelay());
    }

    [Fact]
    public void Ctor_MaxBelowInitial_ThrowsWithFix()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new ReconnectBackoff(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1)));
        Assert.StartsWith("The maximum reconnect delay (00:00:01) must be at least the initial one (00:00:02).", e.Message);
    }
}
