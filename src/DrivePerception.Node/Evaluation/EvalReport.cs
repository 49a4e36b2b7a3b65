using System.Globalization;
using System.Text.Json.Nodes;

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

    /// <summary>" (first N of M)" when --limit cut the split, else empty: for the table's first line.</summary>
    protected string LimitedText => Frames < ListedFrames ? $" (first {Frames} of {ListedFrames})" : "";

    /// <summary>The table's speed figures: frames/s of the whole loop and the node path's ms per frame.</summary>
    protected string SpeedText =>
        $"{FramesPerSecond.ToString("F1", CultureInfo.InvariantCulture)} frames/s overall, node path {NodeMsPerFrame.ToString("F1", CultureInfo.InvariantCulture)} ms/frame";

    /// <summary>The JSON every report opens with: task, units, then which model ran where on which data.</summary>
    protected JsonObject JsonHead(string task, string units) => new()
    {
        ["task"] = task,
        ["units"] = units,
        ["model"] = Model,
        ["model_path"] = ModelPath,
        ["accelerator"] = Accelerator,
        ["data"] = Data,
        ["split"] = Split,
    };

    /// <summary>Adds the frame counts to <paramref name="json"/>.</summary>
    protected void AddFrames(JsonObject json)
    {
        json["frames"] = Frames;
        json["listed_frames"] = ListedFrames;
    }

    /// <summary>Adds the speed figures to <paramref name="json"/>.</summary>
    protected void AddSpeed(JsonObject json)
    {
        json["fps"] = FramesPerSecond;
        json["node_ms_per_frame"] = NodeMsPerFrame;
    }
}
