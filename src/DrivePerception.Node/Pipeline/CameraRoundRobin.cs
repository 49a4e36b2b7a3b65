using DrivePerception.Core.Frames;

namespace DrivePerception.Node.Pipeline;

/// <summary>
/// The pipeline thread of a multi-camera node: gives the cameras turns in a fixed order, at most one frame per turn,
/// so that a fast camera cannot starve a slow one. A camera with nothing waiting passes its turn. On a lossless slot
/// (files read with --rate max) the turn waits for the camera's next frame and so asks for it, as the single-camera
/// pipeline does: its capture time is taken when the pipeline is ready, and its age measures the pipeline, not a
/// queue behind the other cameras. All cameras' frames are processed and published on this one thread: the sink needs
/// no locking, and the models never run two frames at once, which on a CPU would only split the same cores.
/// </summary>
public sealed class CameraRoundRobin : IDisposable
{
    /// <summary>Set by any slot's Put or Complete: something may be ready.</summary>
    private readonly AutoResetEvent _changed = new(false);
    /// <summary>Longest wait in one turn or with nothing to do, so that heartbeats and the duration limit stay on time.</summary>
    private static readonly TimeSpan IdleWait = TimeSpan.FromMilliseconds(50);

    /// <summary>Wakes the scheduler; give it to every slot as <see cref="NewestFrameSlot{T}.Changed"/>.</summary>
    public void Wake() => _changed.Set();

    /// <summary>
    /// Serves <paramref name="feeds"/> until every slot is drained (all sources ended), <paramref name="ct"/> is
    /// cancelled or <paramref name="duration"/> passes (zero: no limit); then stops every capture and publishes each
    /// camera's final status. Starts each pipeline's clock; the captures must already run or start right after.
    /// </summary>
    public void Run(IReadOnlyList<CameraFeed> feeds, TimeSpan duration, CancellationToken ct)
    {
        if (feeds.Count == 0) throw new ArgumentException("a round-robin needs at least one camera", nameof(feeds));
        foreach (var f in feeds) f.Pipeline.Begin(f.Slot, f.Source);
        bool anyLossless = feeds.Any(f => f.Slot.IsLossless);
        long startNs = MonotonicClock.NowNs();
        int turn = 0, idleTurns = 0;
        while (!ct.IsCancellationRequested)
        {
            if (duration > TimeSpan.Zero && MonotonicClock.Ms(startNs, MonotonicClock.NowNs()) >= duration.TotalMilliseconds) break;
            var feed = feeds[turn];
            turn = (turn + 1) % feeds.Count;
            if (Serve(feed)) idleTurns = 0;
            else if (++idleTurns >= feeds.Count)
            {
                // A whole round found nothing: stop when every source has ended, else sleep until a frame arrives
                // (a lossless turn has already waited for its camera).
                if (feeds.All(f => f.Slot.IsDrained)) break;
                if (!anyLossless) _changed.WaitOne(IdleWait);
                idleTurns = 0;
            }
            foreach (var f in feeds) f.Pipeline.PublishStatusIfDue();
        }
        foreach (var f in feeds) f.Pipeline.Finish();
    }

    /// <summary>One camera's turn: processes its waiting frame, if any; true when one was processed.</summary>
    private static bool Serve(CameraFeed feed)
    {
        if (feed.Slot.IsDrained) return false;
        if (!feed.Slot.TryTake(feed.Slot.IsLossless ? IdleWait : TimeSpan.Zero, out var frame)) return false;
        using (frame) feed.Pipeline.ProcessFrame(frame!);
        return true;
    }

    /// <summary>Frees the wake-up event.</summary>
    public void Dispose() => _changed.Dispose();
}
