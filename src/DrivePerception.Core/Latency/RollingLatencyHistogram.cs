namespace DrivePerception.Core.Latency;

/// <summary>
/// Latency over the last seconds and over the whole run in fixed memory: a ring of one-second
/// <see cref="LatencyHistogram"/>s (as many as the longest window) plus one for the run. A window's percentiles
/// merge the seconds inside it, so they carry the histogram's 1 % error and a window edge of up to one second.
/// Not thread-safe: the owner locks.
/// </summary>
public sealed class RollingLatencyHistogram
{
    private readonly LatencyHistogram[] _seconds;
    private readonly long[] _secondOf;
    private readonly LatencyHistogram _scratch = new();

    /// <summary>Keeps <paramref name="windowSeconds"/> seconds (the longest window asked for later), 1..3600.</summary>
    public RollingLatencyHistogram(int windowSeconds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(windowSeconds, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(windowSeconds, 3600);
        _seconds = new LatencyHistogram[windowSeconds];
        _secondOf = new long[windowSeconds];
        for (int i = 0; i < windowSeconds; i++)
        {
            _seconds[i] = new LatencyHistogram();
            _secondOf[i] = long.MinValue;
        }
    }

    /// <summary>Every sample since start (or the last <see cref="Clear"/>).</summary>
    public LatencyHistogram Run { get; } = new();

    /// <summary>The longest window this ring can answer, seconds.</summary>
    public int WindowSeconds => _seconds.Length;

    /// <summary>Adds a sample taken in second <paramref name="second"/> (any clock, whole seconds, not decreasing).</summary>
    public void Add(double ms, long second)
    {
        int slot = Slot(second);
        if (_secondOf[slot] != second)
        {
            _seconds[slot].Clear();
            _secondOf[slot] = second;
        }
        _seconds[slot].Add(ms);
        Run.Add(ms);
    }

    /// <summary>
    /// The samples of the last <paramref name="seconds"/> seconds up to and including second <paramref name="now"/>,
    /// merged into a histogram this object reuses: read it before the next call.
    /// </summary>
    public LatencyHistogram Window(int seconds, long now)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(seconds, _seconds.Length);
        _scratch.Clear();
        for (int i = 0; i < _seconds.Length; i++)
            if (_secondOf[i] > now - seconds && _secondOf[i] <= now) _scratch.Merge(_seconds[i]);
        return _scratch;
    }

    /// <summary>Forgets everything (a node restarted).</summary>
    public void Clear()
    {
        foreach (var h in _seconds) h.Clear();
        Array.Fill(_secondOf, long.MinValue);
        Run.Clear();
    }

    private int Slot(long second) => (int)(((second % _seconds.Length) + _seconds.Length) % _seconds.Length);
}
