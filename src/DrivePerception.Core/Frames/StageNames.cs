namespace DrivePerception.Core.Frames;

/// <summary>The names of the pipeline stages as they appear in every message's timings.</summary>
public static class StageNames
{
    /// <summary>Grabbing and decoding the frame from the source.</summary>
    public const string Capture = "capture";
    /// <summary>Time the frame waited in the newest-frame slot before the pipeline took it.</summary>
    public const string Queue = "queue";
    /// <summary>Undistortion, resize and copy into the model's input tensor.</summary>
    public const string Preprocess = "preprocess";
    /// <summary>ONNX Runtime inference of all models for the frame.</summary>
    public const string Infer = "infer";
    /// <summary>Class map, lanes, instances and tracking from the raw outputs, masks run-length encoded.</summary>
    public const string Postprocess = "postprocess";
    /// <summary>
    /// Assembling the messages. Their MessagePack serialisation follows and cannot be timed inside its own
    /// payload (about 0.03 ms per MB, see ECOSYSTEM.md); pipeline_latency_ms ends here.
    /// </summary>
    public const string Encode = "encode";

    /// <summary>All stages in pipeline order.</summary>
    public static readonly IReadOnlyList<string> All = [Capture, Queue, Preprocess, Infer, Postprocess, Encode];
}
