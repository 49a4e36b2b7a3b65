using System.Diagnostics;

namespace DrivePerception.Core.Frames;

/// <summary>
/// The node's single time base. Monotonic nanoseconds come from <see cref="Stopwatch"/> so stage
/// durations never jump with NTP; UTC nanoseconds are taken alongside for correlation with other hosts.
/// </summary>
public static class MonotonicClock
{
    private static readonly double TicksToNs = 1_000_000_000.0 / Stopwatch.Frequency;

    /// <summary>Nanoseconds on the monotonic clock (arbitrary epoch, per boot).</summary>
    public static long NowNs() => (long)(Stopwatch.GetTimestamp() * TicksToNs);

    /// <summary>Nanoseconds since the Unix epoch, UTC.</summary>
    public static long UtcNowNs() => (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) * 100;

    /// <summary>Milliseconds between two monotonic readings.</summary>
    public static double Ms(long startNs, long endNs) => (endNs - startNs) / 1_000_000.0;
}
