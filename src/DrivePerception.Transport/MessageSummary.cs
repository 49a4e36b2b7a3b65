using System.Globalization;
using System.Text;
using DrivePerception.Core.Messages;

namespace DrivePerception.Transport;

/// <summary>
/// The one line <c>listen</c> prints per message. The age is this host's monotonic clock minus the frame's
/// capture time on the node's monotonic clock, so it is only meaningful when the node runs on the same
/// host (both read CLOCK_MONOTONIC); across hosts it is noise, and <c>latency</c> (measured by the node) is
/// what to read.
/// </summary>
public static class MessageSummary
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>
    /// E.g. <c>perception/lanes camera=front seq=42 age=18.2ms latency=15.0ms valid lanes=3/4 (ego_left,ego_right,second_right)</c>.
    /// An unreadable payload gives a line with <c>CORRUPT</c> and the reason rather than an exception, so
    /// <c>listen</c> keeps going and the operator sees it.
    /// </summary>
    public static string Format(ReceivedMessage message, long nowMonoNs)
    {
        object decoded;
        try
        {
            decoded = message.Decode();
        }
        catch (PayloadDecodeException e)
        {
            return $"{message.Topic} CORRUPT {e.Message}";
        }
        var line = new StringBuilder(message.Topic);
        switch (decoded)
        {
            case StatusMessage status:
                AppendStatus(line, status, nowMonoNs);
                break;
            case PerceptionMessage frame:
                AppendFrame(line, frame, nowMonoNs);
                if (frame.Valid) AppendContent(line, frame);
                break;
        }
        return line.ToString();
    }

    private static void AppendFrame(StringBuilder line, PerceptionMessage m, long nowMonoNs)
    {
        line.Append(Invariant, $" camera={m.Header.CameraId} seq={m.Header.Sequence}");
        line.Append(Invariant, $" age={Ms(nowMonoNs - m.Header.CaptureMonoNs)}ms latency={m.PipelineLatencyMs:F1}ms");
        line.Append(m.Valid ? " valid" : $" INVALID reason={m.Reason}");
    }

    private static void AppendContent(StringBuilder line, PerceptionMessage m)
    {
        switch (m)
        {
            case LaneMessage lanes:
                var present = lanes.Lanes.Where(l => l.Present).Select(l => l.Name).ToList();
                line.Append(Invariant, $" lanes={present.Count}/{lanes.Lanes.Count}");
                if (present.Count > 0) line.Append(" (").AppendJoin(',', present).Append(')');
                break;
            case InstanceMessage objects:
                line.Append(Invariant, $" instances={objects.Instances.Count}");
                foreach (var group in objects.Instances.GroupBy(i => i.ClassName).OrderBy(g => g.Key, StringComparer.Ordinal))
                    line.Append(Invariant, $" {group.Key}:{group.Count()}");
                break;
            case ClassMapMessage map:
                line.Append(Invariant, $" classmap={map.ClassMap.Width}x{map.ClassMap.Height} runs={map.ClassMap.Counts.Length} classes={map.Classes.Count}");
                break;
        }
    }

    private static void AppendStatus(StringBuilder line, StatusMessage s, long nowMonoNs)
    {
        var c = s.Counters;
        line.Append(Invariant, $" seq={s.Sequence} age={Ms(nowMonoNs - s.MonoNs)}ms health={s.Health}");
        if (s.Message.Length > 0) line.Append(Invariant, $" \"{s.Message}\"");
        line.Append(Invariant, $" source={s.SourceState} fps={s.Fps:F1} p50={s.LatencyP50Ms:F1}ms p99={s.LatencyP99Ms:F1}ms");
        line.Append(Invariant, $" captured={c.Captured} processed={c.Processed} dropped_stale={c.DroppedStale}");
        line.Append(Invariant, $" dropped_deadline={c.DroppedDeadline} invalid={c.PublishedInvalid} misses={c.DeadlineMisses}");
        line.Append(Invariant, $" corrupt={c.Corrupt} reconnects={s.Reconnects}");
        if (s.Models.Count > 0)
            line.Append(" models=").AppendJoin(',', s.Models.Select(m => $"{m.Name}@{m.Accelerator}"));
    }

    private static string Ms(long ns) => (ns / 1e6).ToString("F1", Invariant);
}
