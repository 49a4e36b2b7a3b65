using DrivePerception.Core.Latency;
using DrivePerception.Node.Pipeline;

namespace DrivePerception.Node.Tests.Pipeline;

public class StageStatisticsTests
{
    [Fact]
    public void Add_MillionFramesOfSixQuantities_MemoryAsAfterAThousand()
    {
        var statistics = new StageStatistics();
        string[] quantities = ["queue", "preprocess", "infer", "postprocess", "encode", "end_to_end"];
        void AddFrames(int frames, int offset)
        {
            for (int f = 0; f < frames; f++)
                foreach (var q in quantities) statistics.Add(q, 1 + (f + offset) % 113 * 0.5);
        }
        AddFrames(1_000, 0);
        long before = GC.GetAllocatedBytesForCurrentThread();
        AddFrames(1_000_000, 1_000);
        // The old StageStatistics kept every sample: 48 MB here. The histograms allocate nothing after their first sample.
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(1_001_000, statistics.Summarise("infer").Count);
    }

    [Fact]
    public void Summarise_KnownSamples_PercentilesWithinStatedErrorMeanAndMaxExact()
    {
        var statistics = new StageStatistics();
        var samples = Enumerable.Range(1, 1000).Select(i => i * 0.1).ToArray(); // 0.1 .. 100 ms
        foreach (var s in samples.Reverse()) statistics.Add("infer", s);
        var summary = statistics.Summarise("infer");
        double tolerance = LatencyHistogram.RelativeError;
        Assert.InRange(summary.P50Ms, 50 * (1 - tolerance), 50 * (1 + tolerance));
        Assert.InRange(summary.P99Ms, 99 * (1 - tolerance), 99 * (1 + tolerance));
        Assert.Equal(samples.Average(), summary.MeanMs, 9);
        Assert.Equal(100, summary.MaxMs, 9);
        Assert.Equal(1000, summary.Count);
    }

    [Fact]
    public void Summarise_UnknownQuantity_IsEmpty() => Assert.Equal(0, new StageStatistics().Summarise("infer").Count);
}
