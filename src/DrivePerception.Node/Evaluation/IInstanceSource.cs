using DrivePerception.Core.Messages;
using OpenCvSharp;

namespace DrivePerception.Node.Evaluation;

/// <summary>
/// One model's instances for `eval instances`, through the same pre-processing, inference and decoding the node
/// uses for the decoder its card names. Owns its session; used from one thread.
/// </summary>
public interface IInstanceSource : IDisposable
{
    /// <summary>The model's card name.</summary>
    string ModelName { get; }

    /// <summary>Provider that runs it: tensorrt, cuda or cpu.</summary>
    string Accelerator { get; }

    /// <summary>components, maskrcnn or centre-offset.</summary>
    string Kind { get; }

    /// <summary>How the instances are made, with the thresholds in use, for the report.</summary>
    string Description { get; }

    /// <summary>Every instance the node would publish for this BGR frame, at the frame's size (boxes, masks cropped to them).</summary>
    List<DetectedInstance> Detect(Mat frame);
}
