using DrivePerception.Core.Messages;
using DrivePerception.Node.Pipeline;

namespace DrivePerception.Node.Hosting;

/// <summary>What one camera of a multi-camera run did: its own accounting and latency percentiles.</summary>
public sealed class CameraSummary
{
    /// <summary>Camera id.</summary>
    public required string CameraId { get; init; }
    /// <summary>The camera's source as given.</summary>
    public required string Source { get; init; }
    /// <summary>The camera's frame accounting at stop (captured = processed + dropped_stale + dropped_deadline).</summary>
    public required PipelineCounters Counters { get; init; }
    /// <summary>Source state at stop.</summary>
    public required string SourceState { get; init; }
    /// <summary>Processed frames of this camera per second over the run.</summary>
    public required double Fps { get; init; }
    /// <summary>This camera's latency per stage and end to end ("end_to_end").</summary>
    public required List<LatencySummary> Latency { get; init; }

    /// <summary>Collects one camera's figures after the run.</summary>
    public static CameraSummary From(CameraFeed feed, string source)
    {
        var p = feed.Pipeline;
        var counters = p.Counters;
        return new CameraSummary
        {
            CameraId = feed.CameraId,
            Source = source,
            Counters = counters,
            SourceState = feed.Source.State,
            Fps = p.Elapsed.TotalSeconds > 0 ? counters.Processed / p.Elapsed.TotalSeconds : 0,
            Latency = p.Statistics.Quantities.Select(p.Statistics.Summarise).ToList(),
        };
    }
}
