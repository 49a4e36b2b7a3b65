using Microsoft.Extensions.Logging;

namespace DrivePerception.Vision.Inference;

/// <summary>
/// A model whose map output is a semantic class map: a <see cref="SemanticSegmenter"/> (task "semantic") or a
/// <see cref="PanopticSegmenter"/> (task "panoptic", which adds instance heads). Whatever scores or publishes the
/// class map takes this type, so it need not care which of the two it was given. Ownership as <see cref="PixelMapModel"/>.
/// </summary>
public abstract class ClassMapModel : PixelMapModel
{
    /// <summary>Wraps an open session of task <paramref name="task"/> whose class map output is "classmap".</summary>
    private protected ClassMapModel(ModelSession session, string task) : base(session, task, "classmap")
    {
    }

    /// <summary>
    /// Loads a semantic or panoptic model (its card says which) and wraps it as <see cref="SemanticSegmenter"/> or
    /// <see cref="PanopticSegmenter"/>; a model of another task is refused as those constructors refuse it.
    /// </summary>
    public static ClassMapModel LoadByTask(string onnxPath, ModelSessionOptions options, ILogger? log = null) =>
        Load<ClassMapModel>(onnxPath, options, log,
            s => s.Card.Task == "panoptic" ? new PanopticSegmenter(s) : new SemanticSegmenter(s));

    /// <summary>Class id per pixel (CV_8UC1, model size), ids as in the card. Valid until the next Infer.</summary>
    /// <exception cref="InvalidOperationException">No successful Infer yet.</exception>
    public OpenCvSharp.Mat ClassMap => Map;
}
