namespace DrivePerception.Core.Latency;

/// <summary>
/// Latency samples in milliseconds counted in fixed, logarithmically spaced buckets (the idea of HdrHistogram and
/// DDSketch): memory is the same after a thousand samples or a billion, and a percentile read from it is within
/// <see cref="RelativeError"/> (1 %) of the exact nearest-rank percentile of the same samples. Count, mean, min and
/// max are exact. Samples under <see cref="MinTrackableMs"/> (1 µs) count as zero; samples over
/// <see cref="MaxTrackableMs"/> (100 s) fall in the last bucket and read as at most the exact max.
/// Not thread-safe: one writer, readers under the owner's lock.
/// </summary>
public sealed class LatencyHistogram
{
    /// <summary>Largest relative difference between a percentile read here and the exact one (1 %).</summary>
    public const double RelativeError = 0.01;

    /// <summary>Smallest sample kept with <see cref="RelativeError"/>; smaller ones count as 0 ms.</summary>
    public const double MinTrackableMs = 0.001;

    /// <summary>Largest sample kept with <see cref="RelativeError"/>; larger ones read as the exact max.</summary>
    public const double MaxTrackableMs = 100_000;

    // Bucket i > 0 holds (Min * Gamma^(i-1), Min * Gamma^i]; its representative 2 Gamma^i Min / (Gamma + 1) is within
    // (Gamma - 1) / (Gamma + 1) = RelativeError of anything in it. Bucket 0 holds everything up to MinTrackableMs.
    internal static readonly double Gamma = (1 + RelativeError) / (1 - RelativeError);
    private static readonly double LogGamma = Math.Log(Gamma);

    /// <summary>Buckets of every histogram: fixed, whatever the samples (about 930).</summary>
    public static readonly int BucketCount = (int)Math.Ceiling(Math.Log(MaxTrackableMs / MinTrackableMs) / LogGamma) + 2;

    private readonly long[] _counts = new long[BucketCount];
    private double _sum;

    /// <summary>Samples added.</summary>
    public long Count { get; private set; }

    /// <summary>Smallest sample, ms (0 when empty).</summary>
    public double MinMs { get; private set; }

    /// <summary>Largest sample, ms (0 when empty).</summary>
    public double MaxMs { get; private set; }

    /// <summary>Mean of the samples, ms, exact (0 when empty).</summary>
    public double MeanMs => Count == 0 ? 0 : _sum / Count;

    /// <summary>Adds one sample (milliseconds); negative and NaN samples count as 0. Allocates nothing.</summary>
    public void Add(double ms)
    {
        if (!(ms > 0)) ms = 0;
        _counts[BucketOf(ms)]++;
        _sum += ms;
        if (Count == 0 || ms < MinMs) MinMs = ms;
        if (Count == 0 || ms > MaxMs) MaxMs = ms;
        Count++;
    }

    /// <summary>Adds every sample of <paramref name="other"/> to this one.</summary>
    public void Merge(LatencyHistogram other)
    {
        if (other.Count == 0) return;
        for (int i = 0; i < _counts.Length; i++) _counts[i] += other._counts[i];
        MinMs = Count == 0 ? other.MinMs : Math.Min(MinMs, other.MinMs);
        MaxMs = Count == 0 ? other.MaxMs : Math.Max(MaxMs, other.MaxMs);
        _sum += other._sum;
        Count += other.Count;
    }

    /// <summary>Forgets every sample; keeps the buckets (no allocation).</summary>
    public void Clear()
    {
        Array.Clear(_counts);
        _sum = 0;
        Count = 0;
        MinMs = MaxMs = 0;
    }

    /// <summary>
    /// The p-th percentile (0..100) by nearest rank, as <c>LatencyWindow</c> computes it on sorted samples, within
    /// <see cref="RelativeError"/> of the exact value; 0 when empty.
    /// </summary>
    public double Percentile(double p)
    {
        if (Count == 0) return 0;
        long rank = Math.Clamp((long)Math.Ceiling(p / 100.0 * Count), 1, Count);
        long seen = 0;
        for (int i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            // The last bucket is open-ended: past MaxTrackableMs only the exact max is known.
            if (seen >= rank) return i == _counts.Length - 1 ? MaxMs : Math.Clamp(Representative(i), MinMs, MaxMs);
        }
        return MaxMs;
    }

    /// <summary>Samples at or below <paramref name="ms"/>, to bucket resolution (for histograms with a deadline edge).</summary>
    public long CountAtOrBelow(double ms)
    {
        if (Count == 0 || ms < 0) return 0;
        if (ms >= MaxMs) return Count;
        int last = BucketOf(ms);
        long n = 0;
        for (int i = 0; i <= last; i++) n += _counts[i];
        return n;
    }

    /// <summary>The non-empty buckets as (upper edge ms, count), ascending: the histogram a page draws.</summary>
    public IEnumerable<(double UpperMs, long Count)> Buckets()
    {
        for (int i = 0; i < _counts.Length; i++)
            if (_counts[i] > 0) yield return (UpperEdge(i), _counts[i]);
    }

    private static int BucketOf(double ms)
    {
        if (ms <= MinTrackableMs) return 0;
        int i = (int)Math.Ceiling(Math.Log(ms / MinTrackableMs) / LogGamma);
        return Math.Clamp(i, 1, BucketCount - 1);
    }

    private static double UpperEdge(int i) => MinTrackableMs * Math.Pow(Gamma, i);

    private static double Representative(int i) => i == 0 ? 0 : 2 * UpperEdge(i) / (Gamma + 1);
}
