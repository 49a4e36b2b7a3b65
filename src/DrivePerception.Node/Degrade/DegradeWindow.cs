namespace DrivePerception.Node.Degrade;

/// <summary>What one measuring window of processed frames showed.</summary>
/// <param name="ProcessingMeanMs">Mean processing time with the window's slowest frame left out, so that one stall does not decide.</param>
/// <param name="ProcessingP50Ms">Processing time p50.</param>
/// <param name="ProcessingP90Ms">Processing time p90.</param>
/// <param name="EndToEndP90Ms">Capture-to-publish latency p90, queueing and frames published late included.</param>
public sealed record DegradeWindow(double ProcessingMeanMs, double ProcessingP50Ms, double ProcessingP90Ms, double EndToEndP90Ms);
