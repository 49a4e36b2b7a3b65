using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using DrivePerception.Vision.Evaluation;

namespace DrivePerception.Node.Evaluation;

/// <summary>
/// The result of `eval instances`: COCO mask AP@[.50:.95], AP50 and AP75 of one class, the AP and recall at each
/// IoU threshold, the counts behind them, the same APs by object height (<see cref="ByHeight"/>) and the speed.
/// Scores are fractions 0-1; with no ground truth (in a height range) over the split they are undefined ("n/a",
/// JSON null).
/// </summary>
public sealed class InstanceEvalReport : EvalReport
{
    /// <summary>The dataset layout detected (<see cref="InstanceLayout.Name"/>).</summary>
    public required string Layout { get; init; }
    /// <summary>The class scored: vehicle or pedestrian (<see cref="InstanceClassGroup"/>).</summary>
    public required string ClassName { get; init; }
    /// <summary>Where the instances came from: components, maskrcnn or centre-offset.</summary>
    public required string Source { get; init; }
    /// <summary>How the instances were made, with the thresholds in use.</summary>
    public required string SourceDescription { get; init; }
    /// <summary>The --split-list file the frames came from, or null for DATA/SPLIT.txt.</summary>
    public string? SplitList { get; init; }
    /// <summary>The accumulated metric over all objects.</summary>
    public required MaskAveragePrecision Scores { get; init; }
    /// <summary>
    /// The metric per height range (<see cref="ObjectHeightRange.Reported"/>: &lt;12, 12-24, 24-48, &gt;=48 px, then
    /// the planner range &gt;=12 px, which overlaps the last three), COCO's areaRng rules with box height for area;
    /// <see cref="Scores"/> is the row "all".
    /// </summary>
    public required IReadOnlyList<MaskAveragePrecision> ByHeight { get; init; }

    /// <summary>The table printed on stdout.</summary>
    public string FormatTable()
    {
        var sb = new StringBuilder();
        string split = SplitList is null ? $"split '{Split}'" : $"split list {SplitList}";
        sb.AppendLine($"eval instances: {Model} on {Data} {split} ({Layout} layout), class {ClassName}, {Frames} frames{LimitedText}, {Accelerator}");
        sb.AppendLine($"instances as the node publishes them ({SourceDescription}); COCO mask AP: "
            + $"IoU .50:.05:.95, {MaskAveragePrecision.RecallPoints}-point interpolation, at most {Scores.MaxDetectionsPerImage} detections per image");
        sb.AppendLine($"{"IoU",5} {"AP",7} {"recall",7} {"TP",6}");
        foreach (int t in MaskAveragePrecision.ThresholdPercents)
            sb.AppendLine($"{Threshold(t),5} {Text(Scores.AtThreshold(t)),7} {Text(Scores.RecallAt(t)),7} {Scores.TruePositivesAt(t),6}");
        sb.AppendLine($"AP {Text(Scores.AveragePrecision)}, AP50 {Text(Scores.AP50)}, AP75 {Text(Scores.AP75)}, AR {Text(Scores.AverageRecall)}");
        string capped = Scores.DetectionsOverCap > 0 ? $", {Scores.DetectionsOverCap} more over the cap not scored" : "";
        sb.AppendLine($"{Scores.Images} images, {Scores.Truths} true {ClassName} instances, {Scores.Detections} detections{capped}"
            + (Scores.Truths == 0 ? " (no true instances: AP is n/a)" : ""));
        sb.AppendLine("by object height h (box of the visible pixels; a detection: its box), COCO's area-range rules with h for area: "
            + "truths outside a range, detections matched to them and unmatched detections outside it are ignored; hA-B: A <= h < B px; "
            + "h>=12: the planner range (a 1.7 m pedestrian out to ~59 m), overlapping the rows above it");
        sb.AppendLine($"{"height",-8} {"AP",7} {"AP50",7} {"AP75",7} {"truths",7}");
        foreach (var row in HeightRows())
            sb.AppendLine($"{row.Heights.Name,-8} {Text(row.AveragePrecision),7} {Text(row.AP50),7} {Text(row.AP75),7} {row.Truths,7}");
        sb.AppendLine(SpeedText);
        return sb.ToString();
    }

    /// <summary>The JSON written by --json.</summary>
    public JsonObject ToJson()
    {
        var perThreshold = new JsonObject();
        foreach (int t in MaskAveragePrecision.ThresholdPercents)
            perThreshold[Threshold(t)] = new JsonObject
            {
                ["ap"] = Scores.AtThreshold(t),
                ["recall"] = Scores.RecallAt(t),
                ["tp"] = Scores.TruePositivesAt(t),
            };
        var byHeight = new JsonObject();
        foreach (var row in HeightRows())
            byHeight[row.Heights.Name] = new JsonObject
            {
                ["min_height_px"] = row.Heights.MinHeight,
                ["max_height_px"] = row.Heights.MaxHeight,
                ["truths"] = row.Truths,
                ["ap"] = row.AveragePrecision,
                ["ap50"] = row.AP50,
                ["ap75"] = row.AP75,
            };
        var json = JsonHead("instances", "ap, ap50, ap75, ar, per_threshold ap and recall are fractions (0-1); null: no true instance in the split (AP undefined); "
            + "ap is COCO mask AP@[.50:.95] (101-point interpolation, all images ranked together), ar the mean recall over the thresholds; "
            + "by_height: the same by box height of the object's pixels, min_height_px to max_height_px both included (null: no upper end), "
            + "with COCO's area-range rules (truths outside the range, detections matched to them and unmatched detections outside it ignored); "
            + "truths: objects in the range; by_height rows: all, h<12, h12-24, h24-48, h>=48 (these four do not overlap), "
            + "then h>=12, the planner range (the last three together, scored as one range)");
        json["split_list"] = SplitList;
        json["source"] = Source;
        json["layout"] = Layout;
        json["class"] = ClassName;
        AddFrames(json);
        json["ap"] = Scores.AveragePrecision;
        json["ap50"] = Scores.AP50;
        json["ap75"] = Scores.AP75;
        json["ar"] = Scores.AverageRecall;
        json["per_threshold"] = perThreshold;
        json["by_height"] = byHeight;
        json["truths"] = Scores.Truths;
        json["detections"] = Scores.Detections;
        json["detections_over_cap"] = Scores.DetectionsOverCap;
        json["max_detections_per_image"] = Scores.MaxDetectionsPerImage;
        AddSpeed(json);
        return json;
    }

    /// <summary>"all" (<see cref="Scores"/>), then the ranges of <see cref="ByHeight"/>.</summary>
    private IEnumerable<MaskAveragePrecision> HeightRows() => ByHeight.Prepend(Scores);

    private static string Threshold(int percent) => (percent / 100.0).ToString("0.00", CultureInfo.InvariantCulture);

    private static string Text(double? value) => value is { } v ? v.ToString("F4", CultureInfo.InvariantCulture) : "n/a";
}
