using DrivePerception.Synthetic.World;

namespace DrivePerception.Synthetic.Rendering;

/// <summary>
/// A tileable 2-D value-noise texture (256 x 256 random values in [-1, 1], smoothly interpolated), for the
/// grain of asphalt, paving, grass and clouds. Fixed by its seed.
/// </summary>
internal sealed class ValueNoise
{
    private const int Size = 256, Mask = Size - 1;
    private readonly float[] _values = new float[Size * Size];

    public ValueNoise(int seed, string purpose)
    {
        var rng = SceneRandom.For(seed, purpose);
        for (int i = 0; i < _values.Length; i++)
            _values[i] = (float)(rng.NextDouble() * 2 - 1);
    }

    /// <summary>Noise at (x, y) in texel units, in [-1, 1]; repeats every 256 texels.</summary>
    public float Sample(double x, double y)
    {
        double fx = Math.Floor(x), fy = Math.Floor(y);
        int ix = (int)(long)fx & Mask, iy = (int)(long)fy & Mask;
        float tx = (float)(x - fx), ty = (float)(y - fy);
        tx = tx * tx * (3 - 2 * tx);
        ty = ty * ty * (3 - 2 * ty);
        int ix1 = (ix + 1) & Mask, row0 = iy * Size, row1 = ((iy + 1) & Mask) * Size;
        float a = _values[row0 + ix] + tx * (_values[row0 + ix1] - _values[row0 + ix]);
        float b = _values[row1 + ix] + tx * (_values[row1 + ix1] - _values[row1 + ix]);
        return a + ty * (b - a);
    }
}
