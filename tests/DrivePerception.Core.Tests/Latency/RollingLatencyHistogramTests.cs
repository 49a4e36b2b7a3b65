using DrivePerception.Core.Latency;

namespace DrivePerception.Core.Tests.Latency;

public class RollingLatencyHistogramTests
{
    [Fact]
    public void Window_TenOfSixtySeconds_HoldsOnlyThoseSeconds()
    {
        var r = new RollingLatencyHistogram(60);
        for (long second = 0; second < 60; second++) r.Add(second < 50 ? 10 : 90, second);
        var last10 = r.Window(10, 59);
        Assert.Equal(10, last10.Count);
        Assert.Equal(90, last10.Percentile(50), 0.9);
        Assert.Equal(60, r.Window(60, 59).Count);
        Assert.Equal(60, r.Run.Count);
    }

    [Fact]
    public void Add_PastTheRing_OldSecondsLeaveTheWindowButStayInTheRun()
    {
        var r = new RollingLatencyHistogram(60);
        for (long second = 0; second < 1000; second++)
            for (int i = 0; i < 100; i++) r.Add(second, second);
        var window = r.Window(60, 999);
        Assert.Equal(6000, window.Count);
        Assert.Equal(940, window.MinMs);
        Assert.Equal(100_000, r.Run.Count);
    }

    [Fact]
    public void Add_MillionSamples_AllocatesNothingPerSample()
    {
        var r = new RollingLatencyHistogram(60);
        for (int i = 0; i < 1_000; i++) r.Add(i % 97, i / 100);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1_000_000; i++) r.Add(i % 97, 10 + i / 1000);
        // One allocation per sample would be >= 24 MB here. A few KB can come from the runtime itself on this thread
        // (the loop's tier-up mid-run; 7488 bytes seen once on a busy machine), so bound it instead of asking for 0.
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 64 * 1024);
    }

    [Fact]
    public void Window_NoSampleInIt_IsEmpty()
    {
        var r = new RollingLatencyHistogram(60);
        r.Add(5, 0);
        Assert.Equal(0, r.Window(10, 100).Count);
    }
}
