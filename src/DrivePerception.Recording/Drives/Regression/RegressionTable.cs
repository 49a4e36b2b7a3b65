using System.Globalization;
using System.Text;

namespace DrivePerception.Recording.Drives.Regression;

/// <summary>Renders a <see cref="RegressionReport"/> as the readable table regress prints: per topic what was compared, the scores, the worst frames, and the verdict.</summary>
public static class RegressionTable
{
    /// <summary>The report as text lines.</summary>
    public static string Render(RegressionReport report)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"regress {report.Name}: {report.Recording} against {report.Golden} (tolerances: {report.Tolerances})");
        if (report.RecoveryNote is not null) sb.AppendLine($"  note: {report.RecoveryNote}");
        if (report.GoldenModels.Count > 0 || report.ReplayModels.Count > 0)
            sb.AppendLine($"  models: golden {List(report.GoldenModels)}; replay {List(report.ReplayModels)}");
        if (report.ErrorMessage is not null)
        {
            sb.AppendLine($"  ERROR: nothing compared: {report.ErrorMessage}");
            return sb.ToString();
        }
        // "rear/pedestrians" in a drive of several cameras: the column widens to the longest label.
        int width = Math.Max(12, report.Topics.Select(t => t.Label.Length).DefaultIfEmpty(0).Max());
        sb.AppendLine($"  {"topic".PadRight(width)} {"compared",8} {"missing",7} {"valid≠",6} {"mean IoU",8} {"min IoU",7} {"count≠",6} {"present≠",8} {"line px",7}  verdict");
        foreach (var t in report.Topics)
        {
            sb.AppendLine($"  {t.Label.PadRight(width)} {t.FramesCompared,8} {t.Missing,7} {t.ValidMismatches,6} {Num(t.MeanIou),8} {Num(t.MinIou),7} "
                + $"{Opt(t.CountMismatches),6} {Opt(t.PresenceMismatches),8} {Px(t.PolylineMeanPx),7}  {(t.Passed ? "ok" : "REGRESSION")}");
        }
        if (report.Latency is { } l)
        {
            string Budget(double? b, double? r) => b is null ? "not gated" : $"budget {(b.Value * l.BudgetScale).ToString("0.#", CultureInfo.InvariantCulture)} ms, ratio {r!.Value.ToString("0.00", CultureInfo.InvariantCulture)}";
            sb.AppendLine($"  latency end to end on this machine over {l.Frames} frames: p50 {l.P50Ms:F1} ms ({Budget(l.P50BudgetMs, l.P50Ratio)}), "
                + $"p99 {l.P99Ms:F1} ms ({Budget(l.P99BudgetMs, l.P99Ratio)})  {(l.Failures.Count == 0 ? "ok" : "OVER BUDGET")}");
            if (l.CpuMsPerFrame > 0)
                sb.AppendLine(FormattableString.Invariant($"  CPU per frame {l.CpuMsPerFrame:F1} ms ({(l.ScaledCpuBudgetMs is { } cb ? $"budget {cb:0.#} ms, ratio {l.CpuRatio:F2}" : "not gated")})"));
            if (l.CpuScaled.Length > 0) sb.AppendLine($"  CPU budget scaled to this machine's ONNX Runtime speed:{l.CpuScaled}");
            else if (l.CpuMsPerFrameBudget is not null && l.CpuMsPerFrame > 0) sb.AppendLine("  CPU budget in plain ms: the tolerances give no cpu_reference_ms, so it holds only on machines like the one that set it");
            if (l.Scaled.Length > 0) sb.AppendLine($"  budgets scaled to this machine's speed now:{l.Scaled}");
            else if (l.ReferenceMs > 0) sb.AppendLine(FormattableString.Invariant($"  reference workload {l.ReferenceMs:F2} ms now; the tolerances give no latency_reference_ms, so the budgets are plain ms"));
        }
        foreach (var t in report.Topics.Where(t => t.WorstFrames.Count > 0 && (!t.Passed || t.WorstFrames.Any(n => n.Iou is null || n.Iou < 1))))
        {
            var frames = t.WorstFrames.Select(n => $"seq {n.Sequence} @{n.TimeNs} ns IoU {Num(n.Iou)}{(n.Note.Length > 0 ? $" ({n.Note})" : "")}");
            sb.AppendLine($"  worst {t.Label}: {string.Join("; ", frames)}");
        }
        sb.AppendLine(report.Verdict == RegressionReport.Pass
            ? $"  PASS: {report.Name} matches its golden within tolerances"
            : $"  REGRESSION in {report.Name}: {string.Join("; ", report.Failures)}");
        return sb.ToString();
    }

    private static string List(List<string> items) => items.Count == 0 ? "(unknown)" : string.Join(", ", items);
    private static string Num(double? x) => x?.ToString("0.000", CultureInfo.InvariantCulture) ?? "-";
    private static string Px(double? x) => x?.ToString("0.00", CultureInfo.InvariantCulture) ?? "-";
    private static string Opt(int? x) => x?.ToString(CultureInfo.InvariantCulture) ?? "-";
}
