using DrivePerception.Core.Frames;

namespace DrivePerception.Node.Benchmarking;

/// <summary>
/// Holds each camera after its warm-up frames until every camera of the configuration has finished its own, so the
/// measured window starts at one moment for all: the aggregate rate then divides frames by one shared wall time,
/// and no camera's measured frames overlap another's warm-up.
/// </summary>
public sealed class MeasurementGate : IDisposable
{
    private readonly Barrier _barrier;
    private long _startNs;

    /// <summary>A gate for <paramref name="cameras"/> cameras.</summary>
    public MeasurementGate(int cameras)
    {
        // The post-phase action runs once, on the last camera to arrive, before any camera is released.
        _barrier = new Barrier(cameras, _ => Volatile.Write(ref _startNs, MonotonicClock.NowNs()));
    }

    /// <summary>Start of the measured window on the monotonic clock; 0 until every camera has arrived.</summary>
    public long StartNs => Volatile.Read(ref _startNs);

    /// <summary>Called by a camera after its last warm-up frame; returns when all have arrived. Throws when <paramref name="ct"/> is cancelled.</summary>
    public void ArriveAndWait(CancellationToken ct) => _barrier.SignalAndWait(ct);

    /// <summary>Frees the barrier.</summary>
    public void Dispose() => _barrier.Dispose();
}
