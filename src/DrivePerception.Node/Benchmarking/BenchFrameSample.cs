namespace DrivePerception.Node.Benchmarking;

/// <summary>
/// The timings of one measured frame, in milliseconds. <see cref="EncodeMs"/> is message assembly plus the MessagePack
/// encoding of every per-frame message; <see cref="EndToEndMs"/> runs from the hand-over of the frame to its camera's
/// pipeline to the end of that encoding.
/// </summary>
public readonly record struct BenchFrameSample(double PreprocessMs, double InferMs, double PostprocessMs, double EncodeMs, double EndToEndMs);
