namespace DrivePerception.Node.Pipeline;

/// <summary>
/// The last N latency samples of one quantity, with percentiles. Not thread-safe: owned by the pipeline thread.
/// </summary>
public sealed class LatencyWindow
{
    private readonly double[] _samples;
    private readonly double[] _scratch;
    private int _count;
    private int _next;

    /// <summary>Creates a window of <paramref name="capacity"/> samples.</summary>
    public LatencyWindow(int capacity = 256)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _samples = new double[capacity];
        _scratch = new double[capacity];
    }

    /// <summary>Samples currently held.</summary>
    public int Count => _count;

    /// <summary>Adds a sample, evicting the oldest when full.</summary>
    public void Add(double ms)
    {
        _samples[_next] = ms;
        _next = (_next + 1) % _samples.Length;
        if (_count < _samples.Length) _count++;
    }

    /// <summary>The p-th percentile (0..100) by nearest rank; 0 when empty.</summary>
    public double Percentile(double p)
    {
        if (_count == 0) return 0;
        Array.Copy(_samples, _scratch, _count);
        Array.Sort(_scratch, 0, _count);
        return PercentileOfSorted(_scratch.AsSpan(0, _count), p);
    }

    /// <summary>Nearest-rank percentile of an ascending-sorted span.</summary>
    public static double PercentileOfSorted(ReadOnlySpan<double> sorted, double p)
    {
        if (sorted.Length == 0) return 0;
        int rank = (int)Math.Ceiling(p / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
