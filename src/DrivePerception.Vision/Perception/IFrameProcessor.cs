using DrivePerception.Core.Messages;
using OpenCvSharp;

namespace DrivePerception.Vision.Perception;

/// <summary>
/// The models and their post-processing for one camera, split into the stages the pipeline times.
/// Called from the pipeline thread only, in the order Preprocess, Infer, Postprocess.
/// </summary>
public interface IFrameProcessor : IDisposable
{
    /// <summary>The models loaded and where they run, for status.</summary>
    IReadOnlyList<ModelStatus> Models { get; }

    /// <summary>Undistorts (when configured), resizes and copies the frame into the models' input tensors.</summary>
    void Preprocess(Mat frame);

    /// <summary>Runs the models on the prepared inputs.</summary>
    void Infer();

    /// <summary>
    /// Turns the outputs into lanes, instances (tracked across frames by <paramref name="frameSequence"/>)
    /// and the class map at frame size.
    /// </summary>
    FrameResult Postprocess(int frameWidth, int frameHeight, long frameSequence);
}
