using DrivePerception.Synthetic.World;

namespace DrivePerception.Synthetic.Rendering;

/// <summary>
/// Colour of the sky along a pixel's ray: a gradient from a bright horizon to the zenith colour with clouds
/// fixed in the world (they turn with the view, not with the camera). The per-pixel parts that do not change
/// with the ego's heading are worked out once.
/// </summary>
internal sealed class SkyShader
{
    private readonly ValueNoise _clouds;
    private readonly bool _sunny;
    private readonly float[] _gradient;
    private readonly float[] _cloudX, _cloudY;

    public SkyShader(PixelRays rays, Lighting lighting, int seed)
    {
        _clouds = new ValueNoise(seed, "clouds");
        _sunny = lighting.Sunny;
        int n = rays.Width * rays.Height;
        _gradient = new float[n * 3];
        _cloudX = new float[n];
        _cloudY = new float[n];
        double[] top = [lighting.SkyTop.Val0, lighting.SkyTop.Val1, lighting.SkyTop.Val2];
        double[] horizon = [lighting.SkyHorizon.Val0, lighting.SkyHorizon.Val1, lighting.SkyHorizon.Val2];
        for (int i = 0; i < n; i++)
        {
            if (rays.IsGround[i])
                continue;
            double elevation = Math.Max(0, rays.Elevation[i]);
            double t = Math.Pow(Math.Min(1, elevation / 0.5), 0.6);
            for (int c = 0; c < 3; c++)
                _gradient[3 * i + c] = (float)(horizon[c] + (top[c] - horizon[c]) * t);
            // The cloud layer as seen along the ray: nearer the horizon clouds are further away and flatter.
            double scale = 2.5 / (elevation + 0.08);
            _cloudX[i] = (float)(Math.Cos(rays.Azimuth[i]) * scale);
            _cloudY[i] = (float)(Math.Sin(rays.Azimuth[i]) * scale);
        }
    }

    /// <summary>BGR colour of pixel <paramref name="pixel"/>'s sky, for an ego heading with the given cosine and sine.</summary>
    public void Colour(int pixel, double cos, double sin, Span<double> colour)
    {
        double cx = _cloudX[pixel] * cos - _cloudY[pixel] * sin, cy = _cloudX[pixel] * sin + _cloudY[pixel] * cos;
        double n = _clouds.Sample(cx * 3 + 100, cy * 3) * 0.65 + _clouds.Sample(cx * 9, cy * 9 + 50) * 0.35;
        double cloud = _sunny ? Math.Clamp((n - 0.15) * 1.6, 0, 1) * 0.8 : (0.5 + 0.5 * n) * 0.45;
        double cloudColour = _sunny ? 245 : 205 + 30 * n;
        for (int c = 0; c < 3; c++)
        {
            double sky = _gradient[3 * pixel + c];
            colour[c] = sky + (cloudColour - sky) * cloud;
        }
    }
}
