using DrivePerception.Vision.Calibration;
using OpenCvSharp;

namespace DrivePerception.Synthetic.Rendering;

/// <summary>
/// What every pixel of the fixed camera looks at, worked out once per renderer: for pixels below the horizon
/// the ground point (vehicle frame) and how it moves per pixel step (the footprint's two edge vectors); for all
/// pixels the direction of the ray (elevation and azimuth). The camera is rigid on the vehicle, so this never changes.
/// </summary>
internal sealed class PixelRays
{
    /// <summary>Rays meeting the ground further than this are treated as sky, metres.</summary>
    public const double MaxGroundDistance = 5000;

    public PixelRays(CameraCalibration calibration)
    {
        Width = calibration.ImageSize.Width;
        Height = calibration.ImageSize.Height;
        int n = Width * Height;
        IsGround = new bool[n];
        GroundX = new float[n];
        GroundY = new float[n];
        Distance = new float[n];
        StepU = new (float X, float Y)[n];
        StepV = new (float X, float Y)[n];
        Elevation = new float[n];
        Azimuth = new float[n];
        var geometry = new CameraGeometry(calibration);
        double h = geometry.OpticalCentre.Z;
        for (int v = 0; v < Height; v++)
        {
            for (int u = 0; u < Width; u++)
            {
                int i = v * Width + u;
                var ray = geometry.PixelRay(new Point2d(u, v));
                Elevation[i] = (float)Math.Asin(Math.Clamp(ray.Z, -1, 1));
                Azimuth[i] = (float)Math.Atan2(ray.Y, ray.X);
                if (ray.Z >= -h / MaxGroundDistance)
                    continue;
                double t = -h / ray.Z;
                IsGround[i] = true;
                GroundX[i] = (float)(t * ray.X);
                GroundY[i] = (float)(t * ray.Y);
                Distance[i] = (float)t;
            }
        }
        // A pixel's footprint edges: central differences of the ground points of its neighbours
        // (one-sided at the image border and next to the horizon).
        for (int v = 0; v < Height; v++)
        {
            for (int u = 0; u < Width; u++)
            {
                int i = v * Width + u;
                if (!IsGround[i])
                    continue;
                StepU[i] = Step(i, u > 0 ? i - 1 : -1, u < Width - 1 ? i + 1 : -1);
                StepV[i] = Step(i, v > 0 ? i - Width : -1, v < Height - 1 ? i + Width : -1);
            }
        }
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>True where the pixel sees the ground within <see cref="MaxGroundDistance"/>.</summary>
    public bool[] IsGround { get; }

    /// <summary>Ground point seen, vehicle frame x (forward), metres.</summary>
    public float[] GroundX { get; }

    /// <summary>Ground point seen, vehicle frame y (left), metres.</summary>
    public float[] GroundY { get; }

    /// <summary>Distance from the optical centre to the ground point, metres.</summary>
    public float[] Distance { get; }

    /// <summary>Ground displacement (vehicle frame, metres) of one pixel step to the right.</summary>
    public (float X, float Y)[] StepU { get; }

    /// <summary>Ground displacement (vehicle frame, metres) of one pixel step down.</summary>
    public (float X, float Y)[] StepV { get; }

    /// <summary>Ray elevation above the horizontal, radians.</summary>
    public float[] Elevation { get; }

    /// <summary>Ray azimuth from the vehicle's x axis toward y, radians.</summary>
    public float[] Azimuth { get; }

    private (float X, float Y) Step(int centre, int before, int after)
    {
        bool hasBefore = before >= 0 && IsGround[before], hasAfter = after >= 0 && IsGround[after];
        if (!hasBefore && !hasAfter)
            return ((float)MaxGroundDistance, (float)MaxGroundDistance);
        int a = hasBefore ? before : centre, b = hasAfter ? after : centre;
        float scale = hasBefore && hasAfter ? 0.5f : 1f;
        return ((GroundX[b] - GroundX[a]) * scale, (GroundY[b] - GroundY[a]) * scale);
    }
}
