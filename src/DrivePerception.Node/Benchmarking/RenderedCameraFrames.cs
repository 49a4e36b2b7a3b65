using DrivePerception.Synthetic;
using DrivePerception.Vision.Calibration;
using OpenCvSharp;

namespace DrivePerception.Node.Benchmarking;

/// <summary>
/// The frames of one virtual camera, rendered before any timing and kept in memory so that the bench measures
/// the node, not the renderer or a decoder. Owns its Mats (BGR, the calibration's size) until disposed.
/// </summary>
public sealed class RenderedCameraFrames : IDisposable
{
    /// <summary>Scene frame rate: CamVid's (and `synth`'s) 15 fps, so consecutive frames differ as a real camera's do.</summary>
    public const double SceneFps = 15;

    private readonly Mat[] _images;

    private RenderedCameraFrames(int seed, Mat[] images)
    {
        Seed = seed;
        _images = images;
    }

    /// <summary>Seed of the camera's run: a different road, traffic and light per camera.</summary>
    public int Seed { get; }

    /// <summary>Frames held.</summary>
    public int Count => _images.Length;

    /// <summary>Frame <paramref name="index"/>; owned by this object: take a header over it, never dispose it.</summary>
    public Mat this[int index] => _images[index];

    /// <summary>Renders <paramref name="count"/> consecutive frames of <paramref name="scenario"/> with <paramref name="seed"/>.</summary>
    public static RenderedCameraFrames Render(SyntheticScenario scenario, CameraCalibration calibration, int seed, int count, CancellationToken ct)
    {
        var images = new Mat[count];
        int made = 0;
        try
        {
            using var renderer = new SceneRenderer(scenario, new SceneSettings { Seed = seed, FrameCount = count, Fps = SceneFps, Calibration = calibration });
            for (; made < count; made++)
            {
                ct.ThrowIfCancellationRequested();
                // The rendered frame owns its image and ground truth; keep a copy of the image only.
                using var frame = renderer.Render(made);
                images[made] = frame.Image.Clone();
            }
            return new RenderedCameraFrames(seed, images);
        }
        catch
        {
            for (int i = 0; i < made; i++) images[i].Dispose();
            throw;
        }
    }

    /// <summary>Frees the frames.</summary>
    public void Dispose()
    {
        foreach (var image in _images) image?.Dispose();
    }
}
