using DrivePerception.Synthetic.World;
using DrivePerception.Vision.Calibration;
using OpenCvSharp;

namespace DrivePerception.Synthetic.Rendering;

/// <summary>
/// The world as seen from the ego at one instant: places road coordinates (s, l, z) and world points in the
/// vehicle frame (x forward, y left, z up, origin on the ground below the camera) and the camera frame.
/// </summary>
internal sealed class ViewFrame
{
    private readonly double _ex, _ey, _cos, _sin;

    public ViewFrame(SceneScript script, CameraGeometry camera, double time)
    {
        Script = script;
        Camera = camera;
        Time = time;
        EgoS = script.Ego.S(time);
        EgoL = script.Ego.L(time);
        (_ex, _ey) = script.Road.ToWorld(EgoS, EgoL);
        double heading = script.Road.Heading(EgoS) + script.Ego.HeadingOffset(time);
        (_cos, _sin) = (Math.Cos(heading), Math.Sin(heading));
        EgoHeading = heading;
        var sun = script.Lighting.SunDirection;
        SunInVehicle = new Point3d(sun.X * _cos + sun.Y * _sin, -sun.X * _sin + sun.Y * _cos, sun.Z);
    }

    public SceneScript Script { get; }

    public CameraGeometry Camera { get; }

    public RoadCentreline Road => Script.Road;

    /// <summary>Scene time, seconds.</summary>
    public double Time { get; }

    /// <summary>Ego arc length.</summary>
    public double EgoS { get; }

    /// <summary>Ego lateral offset.</summary>
    public double EgoL { get; }

    /// <summary>Ego heading in the world, radians.</summary>
    public double EgoHeading { get; }

    /// <summary>Unit vector toward the sun, vehicle frame.</summary>
    public Point3d SunInVehicle { get; }

    /// <summary>Ego position in the world.</summary>
    public (double X, double Y) EgoWorld => (_ex, _ey);

    /// <summary>Cosine and sine of the ego heading.</summary>
    public (double Cos, double Sin) EgoAxes => (_cos, _sin);

    public Point3d WorldToVehicle(double worldX, double worldY, double z)
    {
        double dx = worldX - _ex, dy = worldY - _ey;
        return new Point3d(dx * _cos + dy * _sin, -dx * _sin + dy * _cos, z);
    }

    public Point3d RoadToVehicle(double s, double l, double z)
    {
        var (x, y) = Road.ToWorld(s, l);
        return WorldToVehicle(x, y, z);
    }

    /// <summary>
    /// The local frame of an object standing at road position (s, l) and facing along the road
    /// (<paramref name="direction"/> +1) or against it (-1), turned further by <paramref name="extraHeading"/> radians.
    /// </summary>
    public LocalFrame ObjectFrame(double s, double l, int direction, double extraHeading = 0)
    {
        Road.Sample(s, out _, out _, out double tx, out double ty, out _);
        double roadHeading = Math.Atan2(ty, tx) + (direction < 0 ? Math.PI : 0) + extraHeading;
        var origin = RoadToVehicle(s, l, 0);
        double rel = roadHeading - EgoHeading;
        return new LocalFrame(origin.X, origin.Y, Math.Cos(rel), Math.Sin(rel));
    }

    /// <summary>Distance from the camera's optical centre to a vehicle-frame point, metres.</summary>
    public double DistanceFromCamera(Point3d vehicle)
    {
        double dz = vehicle.Z - Camera.OpticalCentre.Z;
        return Math.Sqrt(vehicle.X * vehicle.X + vehicle.Y * vehicle.Y + dz * dz);
    }
}
