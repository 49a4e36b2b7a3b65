namespace DrivePerception.Node.Evaluation;

/// <summary>What every eval report states besides its scores: which model ran where, on which data, how fast.</summary>
public abstract class EvalReport
{
    /// <summary>The model's card name.</summary>
    public required string Model { get; init; }
    /// <summary>Full path of the ONNX file.</summary>
    public required string ModelPath { get; init; }
    /// <summary>Provider that ran it: tensorrt, cuda or cpu.</summary>
    public required string Accelerator { get; init; }
    /// <summary>Dataset folder.</summary>
    public required string Data { get; init; }
    /// <summary>Split name.</summary>
    public required string Split { get; init; }
    /// <summary>Frames scored.</summary>
    public required int Frames { get; init; }
    /// <summary>Frames the split lists (more than <see cref="Frames"/> under --limit).</summary>
    public required int ListedFrames { get; init; }
    /// <summary>Frames per second over the whole loop (decode, node path, scoring).</summary>
    public required double FramesPerSecond { get; init; }
    /// <summary>Mean milliseconds per frame of the node's path (preprocess, infer, post-processing).</summary>
    public required double NodeMsPerFrame { get; init; }
}
