namespace DrivePerception.Recording.Drives.Regression;

/// <summary>
/// How far one topic's outputs may move from the golden before regress calls it a regression. Defaults suit a replay
/// on another machine or accelerator (small numeric differences flip a few edge pixels); the same model on the same
/// machine gives exact agreement. JSON keys in brackets.
/// </summary>
public sealed record TopicTolerances
{
    /// <summary>[mask_iou_mean_min] Lowest mean mask IoU over the frames where either side has content. Default 0.90; 0..1.</summary>
    public double MaskIouMeanMin { get; init; } = 0.90;

    /// <summary>[mask_iou_frame_min] Lowest mask IoU of any single frame with content. Default 0.50; 0..1.</summary>
    public double MaskIouFrameMin { get; init; } = 0.50;

    /// <summary>[count_mismatch_max_fraction] Largest fraction of compared frames whose instance count differs (vehicles, pedestrians). Default 0.05; 0..1.</summary>
    public double CountMismatchMaxFraction { get; init; } = 0.05;

    /// <summary>[lane_presence_mismatch_max_fraction] Largest fraction of compared lane slots (4 per frame) whose presence differs. Default 0.05; 0..1.</summary>
    public double LanePresenceMismatchMaxFraction { get; init; } = 0.05;

    /// <summary>[polyline_mean_px_max] Largest mean distance between golden and replayed lane polylines, pixels. Default 3; &gt;= 0.</summary>
    public double PolylineMeanPxMax { get; init; } = 3.0;

    /// <summary>[valid_mismatch_max_fraction] Largest fraction of compared frames valid on one side and not on the other. Default 0; 0..1.</summary>
    public double ValidMismatchMaxFraction { get; init; }

    /// <summary>[missing_frames_max] Golden frames the replay may lack (a replay with --fast processes every frame, so 0). Default 0; &gt;= 0.</summary>
    public int MissingFramesMax { get; init; }
}
