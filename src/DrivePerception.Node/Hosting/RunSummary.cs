using System.Text.Json;
using DrivePerception.Core.Messages;
using DrivePerception.Node.Pipeline;
using DrivePerception.Transport;

namespace DrivePerception.Node.Hosting;

/// <summary>What a run did: accounting, per-stage and end-to-end latency percentiles, publisher figures.</summary>
public sealed class RunSummary
{
    /// <summary>JSON options for the --report file.</summary>
    public static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Frame accounting at stop.</summary>
    public required PipelineCounters Counters { get; init; }
    /// <summary>Source state at stop.</summary>
    public required string SourceState { get; init; }
    /// <summary>Wall time of the run, seconds.</summary>
    public required double Seconds { get; init; }
    /// <summary>Processed frames per second over the run.</summary>
    public required double Fps { get; init; }
    /// <summary>Latency per stage and end to end ("end_to_end").</summary>
    public required List<LatencySummary> Latency { get; init; }
    /// <summary>Messages the publisher handed to the socket.</summary>
    public required long MessagesPublished { get; init; }
    /// <summary>Messages the socket refused without blocking.</summary>
    public required long MessagesDropped { get; init; }
    /// <summary>Per model, the provider, I/O binding and batch it actually ran with ("camvid-fast: cuda, device+cuda-graph, batch 1").</summary>
    public IReadOnlyList<string> ModelIo { get; init; } = [];

    /// <summary>Collects the figures after a run.</summary>
    public static RunSummary From(PerceptionPipeline pipeline, ISourceReader source, PerceptionPublisher publisher, IReadOnlyList<string>? modelIo = null)
    {
        var counters = pipeline.Counters;
        return new RunSummary
        {
            Counters = counters,
            SourceState = source.State,
            Seconds = pipeline.Elapsed.TotalSeconds,
            Fps = pipeline.Elapsed.TotalSeconds > 0 ? counters.Processed / pipeline.Elapsed.TotalSeconds : 0,
            Latency = pipeline.Statistics.Quantities.Select(pipeline.Statistics.Summarise).ToList(),
            MessagesPublished = publisher.PublishedMessages,
            MessagesDropped = publisher.DroppedMessages,
            ModelIo = modelIo ?? [],
        };
    }

    /// <summary>Prints the summary to stdout.</summary>
    public void Print()
    {
        var c = Counters;
        Console.WriteLine($"source {SourceState}: captured {c.Captured}, processed {c.Processed} ({c.PublishedInvalid} not valid), "
            + $"dropped {c.DroppedStale} stale + {c.DroppedDeadline} past deadline, corrupt {c.Corrupt}, deadline misses {c.DeadlineMisses}; "
            + $"{Fps:F1} fps over {Seconds:F1} s; {MessagesPublished} messages published");
        Console.WriteLine($"{"stage",-12} {"count",6} {"mean ms",8} {"p50 ms",8} {"p99 ms",8} {"max ms",8}");
        foreach (var l in Latency)
            Console.WriteLine($"{l.Quantity,-12} {l.Count,6} {l.MeanMs,8:F2} {l.P50Ms,8:F2} {l.P99Ms,8:F2} {l.MaxMs,8:F2}");
    }
}
