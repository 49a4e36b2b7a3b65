namespace DrivePerception.Vision.Sources;

/// <summary>
/// Exponential back-off between reconnection attempts: the first wait is the initial delay, each next one
/// doubles, capped at the maximum (defaults 0.5, 1, 2, 4, 8, 8, ... seconds). Not thread-safe.
/// </summary>
public sealed class ReconnectBackoff
{
    private readonly TimeSpan _initial;
    private readonly TimeSpan _max;
    private TimeSpan _next;

    /// <summary>Creates a back-off from <paramref name="initial"/> doubling up to <paramref name="max"/>.</summary>
    public ReconnectBackoff(TimeSpan initial, TimeSpan max)
    {
        if (initial <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(initial), $"The initial reconnect delay must be positive, got {initial}.");
        if (max < initial) throw new ArgumentOutOfRangeException(nameof(max), $"The maximum reconnect delay ({max}) must be at least the initial one ({initial}).");
        _initial = initial;
        _max = max;
        _next = initial;
    }

    /// <summary>The wait before the next attempt; advances the schedule.</summary>
    public TimeSpan NextDelay()
    {
        var delay = _next;
        _next = _next >= _max / 2 ? _max : _next * 2;
        return delay;
    }

    /// <summary>Back to the initial delay (after a successful reconnection).</summary>
    public void Reset() => _next = _initial;
}
