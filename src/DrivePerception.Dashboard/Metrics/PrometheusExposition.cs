using System.Globalization;
using System.Text;
using DrivePerception.Dashboard.Aggregation;

namespace DrivePerception.Dashboard.Metrics;

/// <summary>
/// Writes the board as Prometheus text exposition format 0.0.4: per camera and stage a histogram of durations in
/// seconds (since the node started, from the run's <see cref="Core.Latency.LatencyHistogram"/>, so a sample within
/// 2 % above an edge may count under it) with a bucket edge at the node's deadline, and the node's frame counters.
/// Labels are camera and stage only. Written by hand: four metric families did not justify a package.
/// </summary>
public static class PrometheusExposition
{
    /// <summary>The Content-Type Prometheus expects for this format.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>Fixed bucket edges, ms; the deadline is added to them.</summary>
    public static readonly IReadOnlyList<double> StandardEdgesMs = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000];

    private const string Duration = "drive_perception_stage_duration_seconds";

    /// <summary>The bucket edges for a node whose deadline is <paramref name="deadlineMs"/> (0: not known yet), ascending.</summary>
    public static IReadOnlyList<double> EdgesFor(double deadlineMs) =>
        StandardEdgesMs.Concat(deadlineMs > 0 ? [deadlineMs] : []).Distinct().Order().ToList();

    /// <summary>The exposition text for every feed of <paramref name="board"/>.</summary>
    public static string Write(DashboardBoard board)
    {
        var labels = board.Labels();
        var feeds = board.Feeds.Select((f, i) => f.Metrics(EdgesFor, labels[i])).ToList();
        var text = new StringBuilder();
        text.Append("# HELP ").Append(Duration).Append(" Duration of each pipeline stage (and end_to_end: capture to encode) per frame, seconds; one bucket edge is the node's deadline.\n");
        text.Append("# TYPE ").Append(Duration).Append(" histogram\n");
        foreach (var feed in feeds)
            foreach (var q in feed.Quantities)
            {
                var labelSet = $"camera=\"{Escape(feed.Camera)}\",stage=\"{Escape(q.Quantity)}\"";
                for (int i = 0; i < feed.EdgesMs.Count; i++)
                    text.Append(Duration).Append("_bucket{").Append(labelSet).Append(",le=\"").Append(Number(feed.EdgesMs[i] / 1000))
                        .Append("\"} ").Append(q.CumulativeCounts[i]).Append('\n');
                text.Append(Duration).Append("_bucket{").Append(labelSet).Append(",le=\"+Inf\"} ").Append(q.Count).Append('\n');
                text.Append(Duration).Append("_sum{").Append(labelSet).Append("} ").Append(Number(q.SumMs / 1000)).Append('\n');
                text.Append(Duration).Append("_count{").Append(labelSet).Append("} ").Append(q.Count).Append('\n');
            }
        Counter(text, feeds, "drive_perception_frames_processed_total", "Frames the node published, valid or not.", c => c.Processed);
        Counter(text, feeds, "drive_perception_frames_dropped_total", "Frames the node dropped: replaced in its newest-frame slot or past the deadline before inference.", c => c.DroppedStale + c.DroppedDeadline);
        Counter(text, feeds, "drive_perception_frames_invalid_total", "Frames the node published with valid=false.", c => c.PublishedInvalid);
        Counter(text, feeds, "drive_perception_frames_past_deadline_total", "Frames whose end-to-end latency passed the deadline.", c => c.DeadlineMisses);
        return text.ToString();
    }

    private static void Counter(StringBuilder text, IEnumerable<FeedMetrics> feeds, string name, string help, Func<Core.Messages.PipelineCounters, long> value)
    {
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
        text.Append("# TYPE ").Append(name).Append(" counter\n");
        foreach (var feed in feeds)
            text.Append(name).Append("{camera=\"").Append(Escape(feed.Camera)).Append("\"} ").Append(value(feed.Counters)).Append('\n');
    }

    private static string Number(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");
}
