using System.Globalization;
using DrivePerception.Core.Messages;
using DrivePerception.Vision.Inference;
using DrivePerception.Vision.Postprocessing;
using OpenCvSharp;

namespace DrivePerception.Node.Evaluation;

/// <summary>Instances of a panoptic model (task panoptic) as the node publishes them: <see cref="PanopticSegmenter"/> then <see cref="CentreOffsetDecoder"/>.</summary>
public sealed class PanopticInstanceSource : IInstanceSource
{
    private readonly PanopticSegmenter _model;
    private readonly CentreOffsetDecoder _decoder;
    private readonly float _scoreThreshold;

    /// <summary>Loads the model with the node's thresholds <paramref name="instanceOptions"/> (unset ones: the card's).</summary>
    public PanopticInstanceSource(string modelPath, ModelSessionOptions options, InstanceDecodingOptions instanceOptions)
    {
        _model = PanopticSegmenter.Load(modelPath, options, Hosting.NodeLog.Info);
        try
        {
            _decoder = CentreOffsetDecoder.ForCard(_model.Card, _model.Session.ModelPath, instanceOptions);
        }
        catch
        {
            _model.Dispose();
            throw;
        }
        _scoreThreshold = instanceOptions.ScoreThreshold ?? 0;
    }

    /// <inheritdoc/>
    public string ModelName => _model.Card.Name;
    /// <inheritdoc/>
    public string Accelerator => _model.Session.AcceleratorUsed;
    /// <inheritdoc/>
    public string Kind => "centre-offset";
    /// <inheritdoc/>
    public string Description => string.Create(CultureInfo.InvariantCulture,
        $"centre-offset grouping of the thing pixels (centre >= {_decoder.CentreThreshold}, top {_decoder.Settings.TopK}, "
        + $">= {_decoder.Settings.MinPixels} px, score >= {_scoreThreshold})");

    /// <inheritdoc/>
    public List<DetectedInstance> Detect(Mat frame)
    {
        _model.Preprocess(frame);
        _model.Infer();
        return _decoder.Decode(_model.Outputs, frame.Width, frame.Height);
    }

    /// <inheritdoc/>
    public void Dispose() => _model.Dispose();
}
