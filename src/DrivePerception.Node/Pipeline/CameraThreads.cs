using System.Runtime.ExceptionServices;

namespace DrivePerception.Node.Pipeline;

/// <summary>
/// The pipeline threads of a multi-camera node on a GPU: one thread per camera, each running that camera's
/// <see cref="PerceptionPipeline"/> exactly as a single-camera node does (newest frame wins, its own deadline,
/// accounting and heartbeat). On a GPU the cameras' frames then overlap: one camera's host work (decode, masks,
/// encoding) runs while another's kernels run, where <see cref="CameraRoundRobin"/> would queue them one after the
/// other. Each pipeline needs a sink of its own (<see cref="WireEncoder"/> keeps per-frame timing) whose wire sinks
/// are shared through <see cref="SerializedWireSink"/>.
/// </summary>
public static class CameraThreads
{
    /// <summary>
    /// Runs every feed on its own thread until its source ends and its slot is drained, <paramref name="ct"/> is
    /// cancelled or <paramref name="duration"/> passes (zero: no limit); each publishes its final status. Returns when
    /// all have finished; an exception on any camera's thread is rethrown here after the others stop.
    /// </summary>
    public static void Run(IReadOnlyList<CameraFeed> feeds, TimeSpan duration, CancellationToken ct)
    {
        if (feeds.Count == 0) throw new ArgumentException("camera threads need at least one camera", nameof(feeds));
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(ct);
        ExceptionDispatchInfo? first = null;
        var threads = feeds.Select(feed => new Thread(() =>
        {
            try
            {
                feed.Pipeline.Run(feed.Slot, feed.Source, duration, failed.Token);
            }
            catch (Exception e)
            {
                // One camera's fault stops the node, as it would on the shared thread of CameraRoundRobin.
                Interlocked.CompareExchange(ref first, ExceptionDispatchInfo.Capture(e), null);
                failed.Cancel();
            }
        })
        { IsBackground = true, Name = $"pipeline {feed.CameraId}" }).ToList();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();
        first?.Throw();
    }
}
