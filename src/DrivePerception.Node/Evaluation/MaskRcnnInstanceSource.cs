using System.Globalization;
using DrivePerception.Core.Messages;
using DrivePerception.Vision.Inference;
using DrivePerception.Vision.Postprocessing;
using OpenCvSharp;

namespace DrivePerception.Node.Evaluation;

/// <summary>Instances of a Mask R-CNN model (task instance) as the node publishes them: <see cref="InstanceModel"/> then <see cref="MaskRcnnDecoder"/>.</summary>
public sealed class MaskRcnnInstanceSource : IInstanceSource
{
    private readonly InstanceModel _model;
    private readonly MaskRcnnDecoder _decoder;
    private readonly MaskRcnnDecoderOptions _options;

    /// <summary>Loads the model with the node's thresholds <paramref name="instanceOptions"/>.</summary>
    public MaskRcnnInstanceSource(string modelPath, ModelSessionOptions options, InstanceDecodingOptions instanceOptions)
    {
        _options = instanceOptions.ForMaskRcnn();
        _model = InstanceModel.Load(modelPath, options, Hosting.NodeLog.Info);
        _decoder = MaskRcnnDecoder.ForCard(_model.Card, _options);
    }

    /// <inheritdoc/>
    public string ModelName => _model.Card.Name;
    /// <inheritdoc/>
    public string Accelerator => _model.AcceleratorUsed;
    /// <inheritdoc/>
    public string Kind => "maskrcnn";
    /// <inheritdoc/>
    public string Description => string.Create(CultureInfo.InvariantCulture,
        $"Mask R-CNN detections with score >= {_options.ScoreThreshold}, class-wise box NMS at IoU {_options.NmsIoU}, masks pasted into the frame");

    /// <inheritdoc/>
    public List<DetectedInstance> Detect(Mat frame)
    {
        _model.Preprocess(frame);
        _model.Infer();
        return _decoder.Decode(_model.Detections, _model.InputSize.Width, _model.InputSize.Height, frame.Width, frame.Height);
    }

    /// <inheritdoc/>
    public void Dispose() => _model.Dispose();
}
