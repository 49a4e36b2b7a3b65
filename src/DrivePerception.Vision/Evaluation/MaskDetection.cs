namespace DrivePerception.Vision.Evaluation;

/// <summary>One detected object to score: its confidence (higher ranks first) and its mask.</summary>
/// <param name="Score">Detection score; any finite value, only its order matters.</param>
/// <param name="Mask">The detected mask, at the size of the image of the ground truth it is scored against.</param>
public sealed record MaskDetection(double Score, InstanceMask Mask);
