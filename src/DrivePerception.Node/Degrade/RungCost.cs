namespace DrivePerception.Node.Degrade;

/// <summary>What one rung's frames cost, measured at warm-up: the ratios between rungs tell how much a step saves.</summary>
/// <param name="MeanMs">Mean processing time per frame over the rung's cycle (a frame with lanes and one without at lanes-every-2nd).</param>
/// <param name="MaxMs">The dearest frame of the cycle (the one with lanes).</param>
public sealed record RungCost(double MeanMs, double MaxMs);
