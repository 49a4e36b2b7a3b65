using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using DrivePerception.Vision.Evaluation;
using DrivePerception.Vision.Postprocessing;

namespace DrivePerception.Node.Evaluation;

/// <summary>
/// The result of `eval lanes`: CULane precision, recall and F1 over all lanes and per slot, and per-slot pixel
/// IoU, all as fractions 0-1 (JSON null and "n/a" where a ratio has nothing to divide: see
/// <see cref="DetectionCounts"/>), and the speed.
/// </summary>
public sealed class LaneEvalReport : EvalReport
{
    /// <summary>Slot map confusion (0 background, 1..4 slots), summed over the split.</summary>
    public required ConfusionMatrix Pixels { get; init; }
    /// <summary>Lane matching counts.</summary>
    public required CuLaneF1 Lanes { get; init; }

    /// <summary>The table printed on stdout.</summary>
    public string FormatTable()
    {
        var sb = new StringBuilder();
        sb.AppendLine($"eval lanes: {Model} on {Data} split '{Split}', {Frames} frames{LimitedText}, {Accelerator}");
        sb.AppendLine($"CULane matching: {Lanes.Matcher.LineWidth}-px drawings, match at IoU >= {Num(Lanes.Matcher.IoUThreshold)}, one to one; "
            + "pixel IoU: published masks vs 16-px label lines");
        sb.AppendLine($"{"slot",-14} {"pixel IoU",9} {"TP",5} {"FP",5} {"FN",5} {"precision",9} {"recall",7} {"F1",7}");
        for (int slot = 1; slot <= CuLaneF1.SlotCount; slot++)
            sb.AppendLine(Row(LaneDecoder.SlotNames[slot], Pixels.IoU(slot), Lanes.Slot(slot)));
        sb.AppendLine(Row("all lanes", null, Lanes.Overall, pixelIoU: false));
        sb.AppendLine($"F1 {Text(Lanes.Overall.F1)}, precision {Text(Lanes.Overall.Precision)}, recall {Text(Lanes.Overall.Recall)}; "
            + $"{Lanes.UnslottedTruths} true lanes on no labelled slot (scored in 'all lanes' only)");
        sb.AppendLine(SpeedText);
        return sb.ToString();
    }

    /// <summary>The JSON written by --json.</summary>
    public JsonObject ToJson()
    {
        var perSlot = new JsonObject();
        for (int slot = 1; slot <= CuLaneF1.SlotCount; slot++)
        {
            var entry = new JsonObject { ["slot"] = slot };
            AddCounts(entry, Lanes.Slot(slot));
            entry["iou"] = Pixels.IoU(slot);
            entry["truth_pixels"] = Pixels.TruthPixels(slot);
            entry["predicted_pixels"] = Pixels.PredictedPixels(slot);
            perSlot[LaneDecoder.SlotNames[slot]] = entry;
        }
        var json = JsonHead("lanes", "f1, precision, recall and iou are fractions (0-1); null: nothing to divide (precision with no predictions, recall with no truths); "
            + "per_slot iou is pixel IoU of the published lane masks vs the 16-px-wide label lines");
        AddFrames(json);
        json["line_width"] = Lanes.Matcher.LineWidth;
        json["iou_threshold"] = Lanes.Matcher.IoUThreshold;
        AddCounts(json, Lanes.Overall);
        json["per_slot"] = perSlot;
        json["unslotted_truths"] = Lanes.UnslottedTruths;
        AddSpeed(json);
        return json;
    }

    private static void AddCounts(JsonObject target, DetectionCounts c)
    {
        target["f1"] = c.F1;
        target["precision"] = c.Precision;
        target["recall"] = c.Recall;
        target["tp"] = c.TruePositives;
        target["fp"] = c.FalsePositives;
        target["fn"] = c.FalseNegatives;
    }

    private static string Row(string name, double? iou, DetectionCounts c, bool pixelIoU = true) =>
        $"{name,-14} {(pixelIoU ? Text(iou) : ""),9} {c.TruePositives,5} {c.FalsePositives,5} {c.FalseNegatives,5} {Text(c.Precision),9} {Text(c.Recall),7} {Text(c.F1),7}";

    private static string Num(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Text(double? value) => value is { } v ? v.ToString("F4", CultureInfo.InvariantCulture) : "n/a";
}
