using OpenCvSharp;

namespace DrivePerception.Synthetic;

/// <summary>
/// One rendered frame: the BGR image and its ground truth. The frame owns <see cref="Image"/> and
/// <see cref="Truth"/>; whoever receives it from <see cref="SceneRenderer.Render"/> disposes it.
/// </summary>
public sealed class SyntheticFrame : IDisposable
{
    internal SyntheticFrame(int index, double timeSeconds, double egoSpeedMps, Mat image, GroundTruth truth)
    {
        (Index, TimeSeconds, EgoSpeedMps, Image, Truth) = (index, timeSeconds, egoSpeedMps, image, truth);
    }

    /// <summary>Frame number within the run, from 0.</summary>
    public int Index { get; }

    /// <summary>Scene time of the frame: index over frame rate, seconds.</summary>
    public double TimeSeconds { get; }

    /// <summary>Ego speed at this frame, m/s.</summary>
    public double EgoSpeedMps { get; }

    /// <summary>CV_8UC3 BGR image, the calibration's size.</summary>
    public Mat Image { get; }

    /// <summary>Labels of the image.</summary>
    public GroundTruth Truth { get; }

    /// <summary>Frees the image and the ground truth's Mats.</summary>
    public void Dispose()
    {
        Image.Dispose();
        Truth.Dispose();
    }
}
