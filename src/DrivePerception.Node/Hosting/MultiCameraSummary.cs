using DrivePerception.Transport;

namespace DrivePerception.Node.Hosting;

/// <summary>What a multi-camera run did: each camera's accounting and latency, and the one publisher's figures.</summary>
public sealed class MultiCameraSummary
{
    /// <summary>Per camera, in the order given.</summary>
    public required List<CameraSummary> Cameras { get; init; }
    /// <summary>Wall time of the run, seconds.</summary>
    public required double Seconds { get; init; }
    /// <summary>Processed frames of all cameras per second.</summary>
    public required double Fps { get; init; }
    /// <summary>Messages the publisher handed to the socket, all cameras and status.</summary>
    public required long MessagesPublished { get; init; }
    /// <summary>Messages the socket refused without blocking.</summary>
    public required long MessagesDropped { get; init; }
    /// <summary>Per camera and model, the provider and I/O it ran with.</summary>
    public IReadOnlyList<string> ModelIo { get; init; } = [];

    /// <summary>Collects the figures after a run.</summary>
    public static MultiCameraSummary From(IReadOnlyList<CameraSummary> cameras, double seconds, PerceptionPublisher publisher, IReadOnlyList<string> modelIo) => new()
    {
        Cameras = [.. cameras],
        Seconds = seconds,
        Fps = seconds > 0 ? cameras.Sum(c => c.Counters.Processed) / seconds : 0,
        MessagesPublished = publisher.PublishedMessages,
        MessagesDropped = publisher.DroppedMessages,
        ModelIo = modelIo,
    };

    /// <summary>Prints one accounting line and a latency table per camera, then the totals, to stdout.</summary>
    public void Print()
    {
        foreach (var cam in Cameras)
        {
            var c = cam.Counters;
            Console.WriteLine($"camera {cam.CameraId} ({cam.Source}), source {cam.SourceState}: captured {c.Captured}, processed {c.Processed} "
                + $"({c.PublishedInvalid} not valid), dropped {c.DroppedStale} stale + {c.DroppedDeadline} past deadline, corrupt {c.Corrupt}, "
                + $"deadline misses {c.DeadlineMisses}; {cam.Fps:F1} fps");
            Console.WriteLine($"  {"stage",-12} {"count",6} {"mean ms",8} {"p50 ms",8} {"p99 ms",8} {"max ms",8}");
            foreach (var l in cam.Latency)
                Console.WriteLine($"  {l.Quantity,-12} {l.Count,6} {l.MeanMs,8:F2} {l.P50Ms,8:F2} {l.P99Ms,8:F2} {l.MaxMs,8:F2}");
        }
        Console.WriteLine($"{Cameras.Count} cameras: {Fps:F1} fps in all over {Seconds:F1} s; {MessagesPublished} messages published, {MessagesDropped} dropped by the socket");
    }
}
