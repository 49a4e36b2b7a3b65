using DrivePerception.Synthetic.World;
using OpenCvSharp;

namespace DrivePerception.Synthetic.Rendering;

/// <summary>
/// What the camera does to the scene: a slight lens blur that softens drawn edges, brightness and contrast
/// that drift over time (auto exposure), and sensor noise drawn from a stream seeded by run and frame, so the
/// noise too is the same on every render of a frame.
/// </summary>
internal static class CameraEffects
{
    /// <summary>Standard deviation of the sum of two 16-bit uniforms minus one: sqrt(1/6).</summary>
    private const double TriangularSigma = 0.408248290463863;

    public static void Apply(Mat image, Lighting lighting, double time, int seed, int frameIndex, bool noise)
    {
        Cv2.GaussianBlur(image, image, new Size(3, 3), 0.6);
        double gain = lighting.Gain(time), contrast = lighting.Contrast(time);
        Span<double> tone = stackalloc double[256];
        for (int v = 0; v < 256; v++)
            tone[v] = ((v - 128) * contrast + 128) * gain + 0.5;

        var pixels = image.AsSpan<byte>();
        if (!noise)
        {
            for (int i = 0; i < pixels.Length; i++)
                pixels[i] = (byte)Math.Clamp(tone[pixels[i]], 0, 255);
            return;
        }
        var rng = new SceneRandom(SceneRandom.Mix((ulong)(uint)seed * 0x9E3779B97F4A7C15UL ^ ((ulong)(uint)frameIndex + 0x51ED27UL)));
        double scale = lighting.NoiseSigma / TriangularSigma / 65535.0;
        for (int i = 0; i < pixels.Length; i += 2)
        {
            ulong r = rng.NextULong();
            double n0 = ((r & 0xFFFF) + ((r >> 16) & 0xFFFF) - 65535.0) * scale;
            pixels[i] = (byte)Math.Clamp(tone[pixels[i]] + n0, 0, 255);
            if (i + 1 < pixels.Length)
            {
                double n1 = (((r >> 32) & 0xFFFF) + ((r >> 48) & 0xFFFF) - 65535.0) * scale;
                pixels[i + 1] = (byte)Math.Clamp(tone[pixels[i + 1]] + n1, 0, 255);
            }
        }
    }
}
