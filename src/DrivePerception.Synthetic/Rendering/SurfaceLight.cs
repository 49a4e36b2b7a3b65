using OpenCvSharp;

namespace DrivePerception.Synthetic.Rendering;

/// <summary>
/// Shades flat surfaces by their orientation under the run's light (soft sky light when overcast, sun plus
/// sky when sunny) and fades them into haze with distance, matching the ground shader's haze.
/// </summary>
internal sealed class SurfaceLight
{
    private const double HazeDistance = 450;
    private readonly bool _sunny;
    private readonly Point3d _sun;
    private readonly Scalar _haze;

    public SurfaceLight(ViewFrame view)
    {
        _sunny = view.Script.Lighting.Sunny;
        _sun = view.SunInVehicle;
        _haze = view.Script.Lighting.Haze;
    }

    /// <summary>Colour of a surface of base colour <paramref name="paint"/> with outward unit normal <paramref name="normal"/> (vehicle frame) at a distance.</summary>
    public Scalar Lit(Scalar paint, Point3d normal, double distance)
    {
        double up = 0.5 + 0.5 * normal.Z;
        double facing = normal.X * _sun.X + normal.Y * _sun.Y + normal.Z * _sun.Z;
        double k = _sunny
            ? 0.52 + 0.18 * up + 0.55 * Math.Max(0, facing)
            : 0.68 + 0.3 * up + 0.07 * facing;
        return Fog(Colour.Scale(paint, k), distance);
    }

    /// <summary>A colour faded into haze with distance.</summary>
    public Scalar Fog(Scalar colour, double distance)
    {
        double f = 1 - Math.Exp(-distance / HazeDistance);
        return new Scalar(
            Math.Min(255, colour.Val0 * (1 - f) + _haze.Val0 * f),
            Math.Min(255, colour.Val1 * (1 - f) + _haze.Val1 * f),
            Math.Min(255, colour.Val2 * (1 - f) + _haze.Val2 * f));
    }
}
