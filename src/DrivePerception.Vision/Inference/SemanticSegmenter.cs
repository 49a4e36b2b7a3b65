using Microsoft.Extensions.Logging;

namespace DrivePerception.Vision.Inference;

/// <summary>
/// A semantic model (task "semantic"): <see cref="PixelMapModel.Preprocess"/> a BGR frame, <see cref="PixelMapModel.Infer"/>,
/// then read <see cref="ClassMapModel.ClassMap"/> and <see cref="PixelMapModel.Confidence"/> at the model's size. Ownership as
/// <see cref="PixelMapModel"/>.
/// </summary>
public sealed class SemanticSegmenter : ClassMapModel
{
    /// <summary>Wraps an open session of task "semantic" and takes ownership of it.</summary>
    /// <exception cref="ArgumentException">The session's task is not semantic (the session is then not taken).</exception>
    public SemanticSegmenter(ModelSession session) : base(session, "semantic")
    {
    }

    /// <summary>Loads models/NAME.onnx with its card (see <see cref="ModelSession.Load(string, ModelSessionOptions, ILogger?)"/>) and wraps it.</summary>
    public static SemanticSegmenter Load(string onnxPath, ModelSessionOptions options, ILogger? log = null) =>
        Load(onnxPath, options, log, s => new SemanticSegmenter(s));
}
