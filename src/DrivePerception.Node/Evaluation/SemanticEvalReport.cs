using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using DrivePerception.Vision.Evaluation;

namespace DrivePerception.Node.Evaluation;

/// <summary>
/// The result of `eval semantic`: per-class IoU, mean IoU and pixel accuracy from the split's summed confusion
/// matrix, and the speed. Scores are in percent (0-100) in both the table and the JSON; a class absent from
/// both truth and prediction has no IoU (n/a, JSON null) and is left out of the mean.
/// </summary>
public sealed class SemanticEvalReport : EvalReport
{
    /// <summary>Label id not scored.</summary>
    public required int IgnoreId { get; init; }
    /// <summary>Class names by id, from the card.</summary>
    public required IReadOnlyList<string> Classes { get; init; }
    /// <summary>The summed confusion matrix.</summary>
    public required ConfusionMatrix Matrix { get; init; }

    /// <summary>Mean IoU in percent; null when no pixel was scored.</summary>
    public double? MeanIoUPercent => Percent(Matrix.MeanIoU);

    /// <summary>Pixel accuracy in percent; null when no pixel was scored.</summary>
    public double? PixelAccuracyPercent => Percent(Matrix.PixelAccuracy);

    /// <summary>IoU of class <paramref name="id"/> in percent; null (n/a) when absent from truth and prediction.</summary>
    public double? ClassIoUPercent(int id) => Percent(Matrix.IoU(id));

    /// <summary>The table printed on stdout.</summary>
    public string FormatTable()
    {
        var sb = new StringBuilder();
        sb.AppendLine($"eval semantic: {Model} on {Data} split '{Split}', {Frames} frames{LimitedText}, ignore id {IgnoreId}, {Accelerator}");
        sb.AppendLine($"{"id",3}  {"class",-14} {"IoU %",7} {"truth px",12} {"predicted px",12}");
        for (int c = 0; c < Classes.Count; c++)
            sb.AppendLine($"{c,3}  {Classes[c],-14} {Text(ClassIoUPercent(c)),7} {Matrix.TruthPixels(c),12} {Matrix.PredictedPixels(c),12}");
        sb.AppendLine($"mean IoU {Text(MeanIoUPercent)} % over {Matrix.ScoredClasses} of {Classes.Count} classes (n/a: absent from truth and prediction); "
            + $"pixel accuracy {Text(PixelAccuracyPercent)} %");
        sb.AppendLine($"{Matrix.ScoredPixels} pixels scored, {Matrix.IgnoredPixels} ignored; "
            + $"{SpeedText}");
        return sb.ToString();
    }

    /// <summary>The JSON written by --json.</summary>
    public JsonObject ToJson()
    {
        var perClass = new JsonObject();
        for (int c = 0; c < Classes.Count; c++) perClass[Classes[c]] = ClassIoUPercent(c);
        var matrix = new JsonArray(Matrix.ToRows().Select(row => (JsonNode)new JsonArray(row.Select(v => (JsonNode)v).ToArray())).ToArray());
        var json = JsonHead("semantic", "miou, per_class_iou and pixel_accuracy in percent (0-100); null: class absent from truth and prediction; confusion_matrix: pixels, rows truth, columns prediction");
        AddFrames(json);
        json["ignore_id"] = IgnoreId;
        json["miou"] = MeanIoUPercent;
        json["scored_classes"] = Matrix.ScoredClasses;
        json["per_class_iou"] = perClass;
        json["pixel_accuracy"] = PixelAccuracyPercent;
        json["scored_pixels"] = Matrix.ScoredPixels;
        json["ignored_pixels"] = Matrix.IgnoredPixels;
        AddSpeed(json);
        json["classes"] = new JsonArray(Classes.Select(c => (JsonNode)c).ToArray());
        json["confusion_matrix"] = matrix;
        return json;
    }

    private static double? Percent(double? fraction) => fraction * 100;

    private static string Text(double? value) => value is { } v ? v.ToString("F2", CultureInfo.InvariantCulture) : "n/a";
}
