using System.Diagnostics;

namespace DrivePerception.Vision.Sources;

/// <summary>
/// Holds file sources to their source time when <see cref="FrameSourceOptions.RealTime"/> is on: the frame
/// with source time t is released no earlier than t after the first frame was released. A reader that falls
/// behind gets frames at once (no burst of waits to catch up, no frames skipped).
/// </summary>
public sealed class FramePacer
{
    private readonly bool _enabled;
    private long _firstSourceNs = -1;
    private long _firstWallTicks;

    /// <summary>Creates a pacer; a disabled one never waits.</summary>
    public FramePacer(bool enabled) => _enabled = enabled;

    /// <summary>Waits until the frame at <paramref name="sourceTimeNs"/> is due; throws when <paramref name="ct"/> is cancelled.</summary>
    public void WaitFor(long sourceTimeNs, CancellationToken ct)
    {
        if (!_enabled || sourceTimeNs < 0) return;
        if (_firstSourceNs < 0)
        {
            _firstSourceNs = sourceTimeNs;
            _firstWallTicks = Stopwatch.GetTimestamp();
            return;
        }
        var due = TimeSpan.FromTicks((sourceTimeNs - _firstSourceNs) / 100);
        var wait = due - Stopwatch.GetElapsedTime(_firstWallTicks);
        if (wait > TimeSpan.Zero && ct.WaitHandle.WaitOne(wait)) ct.ThrowIfCancellationRequested();
        ct.ThrowIfCancellationRequested();
    }
}
