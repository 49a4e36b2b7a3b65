namespace DrivePerception.Vision.Evaluation;

/// <summary>A predicted lane matched to a true one: their indices in the frame's lists and the IoU of their drawings (0..1).</summary>
public readonly record struct LaneMatch(int Prediction, int Truth, double IoU);
