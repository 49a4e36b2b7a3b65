using System.Globalization;
using System.Text;
using DrivePerception.Core.Frames;
using DrivePerception.Node.Pipeline;

namespace DrivePerception.Node.Benchmarking;

/// <summary>The markdown table of a bench run (stdout and --table), one row per configuration, with a caption line.</summary>
public static class BenchTable
{
    /// <summary>Latency columns in table order: the frame's whole time first, then its stages.</summary>
    private static readonly string[] LatencyColumns =
        [BenchConfigurationResult.EndToEnd, StageNames.Preprocess, StageNames.Infer, StageNames.Postprocess, StageNames.Encode];

    /// <summary>Caption, table and, where frames were not valid, a note under it.</summary>
    public static string Format(BenchReport report)
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        var models = string.Join(" + ", report.Models.Select(m => $"{m.Name} ({m.Task}, {m.Precision})"));
        var first = report.Configurations.FirstOrDefault();
        sb.AppendLine(string.Create(c, $"bench {report.Date:yyyy-MM-dd}: {models} on {report.AcceleratorUsed}; {report.Machine.Processor}, ")
            + string.Create(c, $"{report.Machine.LogicalCores} logical cores{(report.Machine.Gpu is { } gpu ? ", " + gpu : "")}; synthetic '{report.Scenario}' frames")
            + (first is null ? "" : string.Create(c, $", {first.FramesPerCamera} measured per camera after {first.WarmupFrames} warm-up"))
            + (report.ClassMap ? "; class map on" : "")
            + (report.ModelIo.Count > 0 ? "; models: " + string.Join("; ", report.ModelIo) : "")
            + "; latency in ms, p50 / p99");
        sb.AppendLine();
        sb.AppendLine(string.Create(c, $"| resolution | cameras | mode | ORT threads per session | frames | frames/s, all cameras | frames/s, slowest camera | end to end | preprocess | infer | postprocess | encode | {report.TargetFps:0.##} fps per camera |"));
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in report.Configurations)
        {
            sb.Append(string.Create(c, $"| {r.Resolution} | {r.Cameras} | {r.Mode} | {r.IntraOpThreads} | {r.Frames} | {r.ThroughputFps:F1} | {r.SlowestCameraFps:F1} |"));
            foreach (var q in LatencyColumns)
                sb.Append(' ').Append(Pair(r.Latency[q])).Append(" |");
            sb.AppendLine(r.Sustains(report.TargetFps) ? " yes |" : " no |");
        }
        foreach (var r in report.Configurations.Where(r => r.InvalidFrames > 0))
            sb.AppendLine(string.Create(c, $"\n{r.Resolution} x {r.Cameras} ({r.Mode}): {r.InvalidFrames} measured frames were published not valid (inference failed, see the log); they are left out of the latencies."));
        return sb.ToString();
    }

    /// <summary>"p50 / p99", or n/a when no frame was computed.</summary>
    private static string Pair(LatencySummary l) => l.Count == 0
        ? "n/a"
        : string.Create(CultureInfo.InvariantCulture, $"{Ms(l.P50Ms)} / {Ms(l.P99Ms)}");

    /// <summary>Two decimals below 10 ms (preprocess and encode are fractions of a millisecond), one above.</summary>
    private static string Ms(double ms) => ms.ToString(ms < 10 ? "F2" : "F1", CultureInfo.InvariantCulture);
}
