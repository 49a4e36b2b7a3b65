using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using DrivePerception.Vision.Evaluation;

namespace DrivePerception.Node.Evaluation;

/// <summary>
/// `eval lanes` / `eval semantic` over several datasets in one call (`--data A --data B`): each dataset's own table,
/// then one summary row per dataset, the pooled figure (counts summed over every frame of every dataset, as if they
/// were one split) and the mean of the per-dataset figures (each dataset weighs the same, however many frames it
/// has: the cross-drive figure a model is chosen on).
/// </summary>
public static class CrossDatasetReport
{
    /// <summary>Table and JSON of several `eval lanes` runs of one model.</summary>
    public static (string Table, JsonObject Json) Lanes(IReadOnlyList<LaneEvalReport> reports)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(reports.Count, 2);
        var pixels = new ConfusionMatrix(reports[0].Pixels.ClassCount);
        var lanes = new CuLaneF1(reports[0].Lanes.Matcher);
        foreach (var r in reports)
        {
            pixels.Add(r.Pixels);
            lanes.Add(r.Lanes);
        }
        var pooled = new LaneEvalReport
        {
            Model = reports[0].Model, ModelPath = reports[0].ModelPath, Accelerator = reports[0].Accelerator,
            Data = $"pooled ({reports.Count} datasets)", Split = Splits(reports), Frames = reports.Sum(r => r.Frames),
            ListedFrames = reports.Sum(r => r.ListedFrames), FramesPerSecond = PooledRate(reports),
            NodeMsPerFrame = PooledNodeMs(reports), Pixels = pixels, Lanes = lanes,
        };
        double? mean = Mean(reports.Select(r => r.Lanes.Overall.F1));
        var sb = new StringBuilder();
        foreach (var r in reports) sb.AppendLine(r.FormatTable());
        sb.AppendLine($"eval lanes: {reports[0].Model} on {reports.Count} datasets");
        sb.AppendLine($"{"dataset",-36} {"frames",6} {"F1",7} {"precision",9} {"recall",7}");
        var names = Names(reports);
        for (int i = 0; i < reports.Count; i++) sb.AppendLine(LaneRow(names[i], reports[i].Frames, reports[i].Lanes.Overall));
        sb.AppendLine(LaneRow("pooled (all frames as one split)", pooled.Frames, lanes.Overall));
        sb.AppendLine($"{"mean of datasets",-36} {"",6} {Text(mean, "F4"),7}");
        var json = Json("lanes", reports.Select(r => r.ToJson()), pooled.ToJson());
        json["mean_f1"] = mean;
        return (sb.ToString(), json);
    }

    /// <summary>Table and JSON of several `eval semantic` runs of one model.</summary>
    public static (string Table, JsonObject Json) Semantic(IReadOnlyList<SemanticEvalReport> reports)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(reports.Count, 2);
        var matrix = new ConfusionMatrix(reports[0].Matrix.ClassCount);
        foreach (var r in reports) matrix.Add(r.Matrix);
        var pooled = new SemanticEvalReport
        {
            Model = reports[0].Model, ModelPath = reports[0].ModelPath, Accelerator = reports[0].Accelerator,
            Data = $"pooled ({reports.Count} datasets)", Split = Splits(reports), Frames = reports.Sum(r => r.Frames),
            ListedFrames = reports.Sum(r => r.ListedFrames), FramesPerSecond = PooledRate(reports),
            NodeMsPerFrame = PooledNodeMs(reports), IgnoreId = reports[0].IgnoreId, Classes = reports[0].Classes, Matrix = matrix,
        };
        double? mean = Mean(reports.Select(r => r.MeanIoUPercent));
        var sb = new StringBuilder();
        foreach (var r in reports) sb.AppendLine(r.FormatTable());
        sb.AppendLine($"eval semantic: {reports[0].Model} on {reports.Count} datasets");
        sb.AppendLine($"{"dataset",-36} {"frames",6} {"mIoU %",7} {"pixel acc %",11}");
        var names = Names(reports);
        for (int i = 0; i < reports.Count; i++)
        {
            var r = reports[i];
            sb.AppendLine($"{names[i],-36} {r.Frames,6} {Text(r.MeanIoUPercent, "F2"),7} {Text(r.PixelAccuracyPercent, "F2"),11}");
        }
        sb.AppendLine($"{"pooled (all frames as one split)",-36} {pooled.Frames,6} {Text(pooled.MeanIoUPercent, "F2"),7} {Text(pooled.PixelAccuracyPercent, "F2"),11}");
        sb.AppendLine($"{"mean of datasets",-36} {"",6} {Text(mean, "F2"),7}");
        var json = Json("semantic", reports.Select(r => r.ToJson()), pooled.ToJson());
        json["mean_miou"] = mean;
        return (sb.ToString(), json);
    }

    private static JsonObject Json(string task, IEnumerable<JsonObject> each, JsonObject pooled) => new()
    {
        ["task"] = task,
        ["datasets"] = new JsonArray(each.Select(j => (JsonNode)j).ToArray()),
        ["pooled"] = pooled,
    };

    // A row is named after the dataset folder; where two folders share a name (two `synth --dataset` outputs both
    // end in the same layout folder) the full paths tell them apart.
    private static List<string> Names(IReadOnlyList<EvalReport> reports)
    {
        var shortNames = reports.Select(r => $"{Path.GetFileName(Path.TrimEndingDirectorySeparator(r.Data))} ({r.Split})").ToList();
        return shortNames.Distinct().Count() == shortNames.Count ? shortNames : reports.Select(r => $"{r.Data} ({r.Split})").ToList();
    }

    private static string Splits(IEnumerable<EvalReport> reports) => string.Join("+", reports.Select(r => r.Split).Distinct());

    // Frames over the summed wall time of the runs (each run's frames / its rate).
    private static double PooledRate(IReadOnlyList<EvalReport> reports)
    {
        double seconds = reports.Sum(r => r.FramesPerSecond > 0 ? r.Frames / r.FramesPerSecond : 0);
        return seconds > 0 ? reports.Sum(r => r.Frames) / seconds : 0;
    }

    private static double PooledNodeMs(IReadOnlyList<EvalReport> reports)
    {
        int frames = reports.Sum(r => r.Frames);
        return frames > 0 ? reports.Sum(r => r.NodeMsPerFrame * r.Frames) / frames : 0;
    }

    private static double? Mean(IEnumerable<double?> values)
    {
        var list = values.ToList();
        return list.Any(v => v is null) ? null : list.Average(v => v!.Value);
    }

    private static string LaneRow(string name, int frames, DetectionCounts c) =>
        $"{name,-36} {frames,6} {Text(c.F1, "F4"),7} {Text(c.Precision, "F4"),9} {Text(c.Recall, "F4"),7}";

    private static string Text(double? value, string format) => value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "n/a";
}
