using DrivePerception.Core.Frames;
using DrivePerception.Core.Messages;
using Microsoft.Extensions.Logging;
using DrivePerception.Node.Logging;

namespace DrivePerception.Node.Hosting;

/// <summary>
/// A progress line to stderr every few seconds while the node runs: frames, rate, latency, drops, written to <c>log</c>
/// (default: a logger of this type's category).
/// </summary>
public sealed class ProgressReporter(Func<PipelineCounters> counters, long expectedFrames, TimeSpan interval, ILogger? log = null)
{
    private readonly ILogger _log = log ?? NodeLogging.CreateLogger<ProgressReporter>();
    private long _lastNs = MonotonicClock.NowNs();
    private long _lastProcessed;
    private readonly List<double> _latencies = [];

    /// <summary>Called for every frame the pipeline finished.</summary>
    public void OnFrame(FrameHeader header)
    {
        _latencies.Add(MonotonicClock.Ms(header.CaptureMonoNs, header.Stages[^1].EndNs));
        long now = MonotonicClock.NowNs();
        if (MonotonicClock.Ms(_lastNs, now) < interval.TotalMilliseconds) return;
        var c = counters();
        double fps = (c.Processed - _lastProcessed) * 1000.0 / MonotonicClock.Ms(_lastNs, now);
        _latencies.Sort();
        double p50 = _latencies[_latencies.Count / 2], p99 = _latencies[Math.Min(_latencies.Count - 1, (int)(_latencies.Count * 0.99))];
        var of = expectedFrames > 0 ? $"/{expectedFrames}" : "";
        _log.LogInformation($"frame {header.Sequence + 1}{of}: {fps:F1} fps, latency p50 {p50:F1} ms p99 {p99:F1} ms, "
            + $"processed {c.Processed}, dropped {c.DroppedStale + c.DroppedDeadline}, invalid {c.PublishedInvalid}");
        _latencies.Clear();
        _lastNs = now;
        _lastProcessed = c.Processed;
    }
}
