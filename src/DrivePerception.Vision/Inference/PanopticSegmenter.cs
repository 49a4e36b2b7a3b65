using DrivePerception.Vision.Postprocessing;
using Microsoft.Extensions.Logging;

namespace DrivePerception.Vision.Inference;

/// <summary>
/// A panoptic model (task "panoptic", decoder "centre-offset", docs/MODEL-CONTRACT.md): one network that gives the
/// semantic class map and confidence, as a <see cref="SemanticSegmenter"/> does, plus a centre heatmap and offsets
/// from which a <see cref="CentreOffsetDecoder"/> groups the thing pixels into instances. Ownership as
/// <see cref="PixelMapModel"/>: every output is a view over the session's buffers, overwritten by the next Infer.
/// </summary>
public sealed class PanopticSegmenter : ClassMapModel
{
    /// <summary>Wraps an open session of task "panoptic" (its card and heads already checked at load) and takes ownership of it.</summary>
    /// <exception cref="ArgumentException">The session's task is not panoptic (the session is then not taken).</exception>
    public PanopticSegmenter(ModelSession session) : base(session, "panoptic")
    {
        Settings = CentreOffsetSettings.FromCard(session.Card, session.ModelPath);
    }

    /// <summary>Loads models/NAME.onnx with its card (see <see cref="ModelSession.Load(string, ModelSessionOptions, ILogger?)"/>) and wraps it.</summary>
    public static PanopticSegmenter Load(string onnxPath, ModelSessionOptions options, ILogger? log = null) =>
        Load(onnxPath, options, log, s => new PanopticSegmenter(s));

    /// <summary>The card's instance settings (stride, thing classes, default thresholds).</summary>
    public CentreOffsetSettings Settings { get; }

    /// <summary>
    /// The last run's four outputs at model size for <see cref="CentreOffsetDecoder.Decode"/>; the spans view this
    /// model's buffers and are valid until the next Infer.
    /// </summary>
    /// <exception cref="InvalidOperationException">No successful Infer yet.</exception>
    public CentreOffsetOutputs Outputs
    {
        get
        {
            var map = Map;
            return new CentreOffsetOutputs(map.AsSpan<byte>(), Confidence.AsSpan<byte>(), Session.Output<float>("centre"),
                Session.Output<float>("offset"), map.Width, map.Height, Settings.Stride);
        }
    }
}
