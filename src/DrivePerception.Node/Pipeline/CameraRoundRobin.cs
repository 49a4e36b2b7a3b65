using DrivePerception.Core.Frames;
using DrivePerception.Node.Degrade;
using DrivePerception.Vision.Inference;

namespace DrivePerception.Node.Pipeline;

/// <summary>
/// The pipeline thread of a multi-camera node: gives the cameras turns in a fixed order, at most one frame per turn,
/// so that a fast camera cannot starve a slow one. A camera with nothing waiting passes its turn. On a lossless slot
/// (files read with --rate max) the turn waits for the camera's next frame and so asks for it, as the single-camera
/// pipeline does: its capture time is taken when the pipeline is ready, and its age measures the pipeline, not a
/// queue behind the other cameras. All cameras' frames are processed and published on this one thread: the sink needs
/// no locking, and the models never run two frames at once, which on a CPU would only split the same cores.
/// <para>Batched (`run --batching batched`, an in-turn <see cref="CameraBatch"/>): a step takes the newest frame of every
/// camera that has one, preprocesses each into its camera's slot, runs each model once for all of them, then
/// post-processes and publishes camera by camera. Headers, accounting and deadlines stay per camera.</para>
/// </summary>
public sealed class CameraRoundRobin : IDisposable
{
    /// <summary>Set by any slot's Put or Complete: something may be ready.</summary>
    private readonly AutoResetEvent _changed = new(false);
    /// <summary>Longest wait in one turn or with nothing to do, so that heartbeats and the duration limit stay on time.</summary>
    private static readonly TimeSpan IdleWait = TimeSpan.FromMilliseconds(50);
    /// <summary>
    /// Batched steps of a paced node: once one camera has a frame, how long the others get to deliver theirs. Cameras at
    /// the same rate deliver within a few ms of one another; a step started without them would run the whole batch again
    /// for their frames a moment later (a batch costs the same with a camera left out), so a short wait saves a batch.
    /// </summary>
    private static readonly TimeSpan GatherWait = TimeSpan.FromMilliseconds(2);

    private readonly CameraBatch? _batch;
    private readonly CameraRoundDegrade? _degrade;

    /// <summary>
    /// A scheduler; <paramref name="batch"/> (in-turn, one slot per camera) runs the models once per step for every
    /// camera that has a frame; <paramref name="degrade"/> (optional) is the node-wide degrade ladder, told where each round ends.
    /// </summary>
    public CameraRoundRobin(CameraBatch? batch = null, CameraRoundDegrade? degrade = null)
    {
        if (batch is { InTurn: false }) throw new ArgumentException("The round-robin serves its cameras from one thread: give an in-turn batch (new CameraBatch(n, inTurn: true)).", nameof(batch));
        _batch = batch;
        _degrade = degrade;
    }

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
        if (_batch is not null && _batch.Cameras != feeds.Count)
            throw new ArgumentException($"the batch has {_batch.Cameras} slots for {feeds.Count} cameras", nameof(feeds));
        foreach (var f in feeds) f.Pipeline.Begin(f.Slot, f.Source);
        bool anyLossless = feeds.Any(f => f.Slot.IsLossless);
        long startNs = MonotonicClock.NowNs();
        int turn = 0, idleTurns = 0;
        while (!ct.IsCancellationRequested)
        {
            if (duration > TimeSpan.Zero && MonotonicClock.Ms(startNs, MonotonicClock.NowNs()) >= duration.TotalMilliseconds) break;
            if (_batch is not null)
            {
                if (!Step(feeds))
                {
                    if (feeds.All(f => f.Slot.IsDrained)) break;
                    if (!anyLossless) _changed.WaitOne(IdleWait);
                }
            }
            else
            {
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
                if (turn == 0) _degrade?.EndRound(stepMs: null);
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

    /// <summary>One batched step over every camera with a frame; false when none had one.</summary>
    private bool Step(IReadOnlyList<CameraFeed> feeds)
    {
        var taken = Gather(feeds);
        if (taken.Count == 0) return false;
        try
        {
            long stepStart = MonotonicClock.NowNs();
            _batch!.StartRound();
            var begun = new List<(CameraFeed Feed, CapturedFrame Frame)>(taken.Count);
            foreach (var (feed, frame) in taken)
                if (feed.Pipeline.BeginFrame(frame)) begun.Add((feed, frame));
            long inferStart = MonotonicClock.NowNs();
            // The first camera's Infer runs each model at batch N; the others find their outputs ready.
            foreach (var (feed, _) in begun) feed.Pipeline.InferBegun();
            long inferEnd = MonotonicClock.NowNs();
            foreach (var (feed, frame) in begun) feed.Pipeline.EndFrame(frame, inferStart, inferEnd);
            // The step's wall time is the round's cost: the cameras' own processing times each hold the whole batch.
            _degrade?.EndRound(MonotonicClock.Ms(stepStart, MonotonicClock.NowNs()));
        }
        finally
        {
            foreach (var (_, frame) in taken) frame.Dispose();
        }
        return true;
    }

    /// <summary>
    /// The newest frame of every camera that has one. A lossless camera is waited for (up to <see cref="IdleWait"/>), as its
    /// turn would be; once a paced camera's frame is in hand, the others get <see cref="GatherWait"/> to deliver theirs.
    /// </summary>
    private static List<(CameraFeed Feed, CapturedFrame Frame)> Gather(IReadOnlyList<CameraFeed> feeds)
    {
        var taken = new List<(CameraFeed, CapturedFrame)>(feeds.Count);
        var missing = new List<CameraFeed>();
        foreach (var feed in feeds)
        {
            if (feed.Slot.IsDrained) continue;
            if (feed.Slot.TryTake(feed.Slot.IsLossless ? IdleWait : TimeSpan.Zero, out var frame)) taken.Add((feed, frame!));
            else if (!feed.Slot.IsLossless) missing.Add(feed);
        }
        if (taken.Count == 0 || missing.Count == 0) return taken;
        long until = MonotonicClock.NowNs() + (long)(GatherWait.TotalMilliseconds * 1e6);
        foreach (var feed in missing)
        {
            double leftMs = (until - MonotonicClock.NowNs()) / 1e6;
            if (feed.Slot.TryTake(TimeSpan.FromMilliseconds(Math.Max(0, leftMs)), out var frame)) taken.Add((feed, frame!));
        }
        // Published in the cameras' order whatever the order of arrival (each camera's models are its own slot of the batch).
        return taken.OrderBy(t => IndexOf(feeds, t.Item1)).ToList();
    }

    private static int IndexOf(IReadOnlyList<CameraFeed> feeds, CameraFeed feed)
    {
        for (int i = 0; i < feeds.Count; i++) if (ReferenceEquals(feeds[i], feed)) return i;
        return -1;
    }

    /// <summary>Frees the wake-up event.</summary>
    public void Dispose() => _changed.Dispose();
}
