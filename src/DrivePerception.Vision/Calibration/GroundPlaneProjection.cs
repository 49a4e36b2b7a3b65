using OpenCvSharp;

namespace DrivePerception.Vision.Calibration;

/// <summary>
/// Maps between the flat ground plane (z = 0 of the vehicle frame) and undistorted image pixels through the
/// camera's ground homography. Immutable; safe to share between threads.
/// </summary>
/// <remarks>
/// <para>Ground points are (x, y) in the vehicle frame: x forward, y left, metres, origin on the ground directly
/// below the optical centre. Pixels are undistorted pixel coordinates (column, row), pixel centres at integers;
/// undistort raw frames or raw pixel coordinates with <see cref="Undistorter"/> first.</para>
/// <para>The homography <c>H = K [r1 r2 t]</c> maps (x, y, 1) to homogeneous pixels. The inverse only means
/// something for pixels below the horizon: a pixel on or above it looks at no ground point, and
/// <see cref="TryPixelToGround"/> says so by returning false rather than a point behind the camera.</para>
/// </remarks>
public sealed class GroundPlaneProjection
{
    /// <summary>Rays closer to horizontal than this (sine of the downward angle) are treated as not meeting the ground.</summary>
    private const double MinDownwardSine = 1e-9;

    private readonly Matrix3 _groundToImage;
    private readonly Matrix3 _imageToGround;

    /// <summary>Builds the projection for a calibrated camera.</summary>
    public GroundPlaneProjection(CameraCalibration calibration) : this(new CameraGeometry(calibration))
    {
    }

    /// <summary>Builds the projection for a camera geometry.</summary>
    public GroundPlaneProjection(CameraGeometry geometry)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        Geometry = geometry;
        var k = geometry.Calibration.Intrinsics;
        var kMatrix = new Matrix3(k.Fx, 0, k.Cx, 0, k.Fy, k.Cy, 0, 0, 1);
        var r = geometry.VehicleToCameraMatrix;
        var t = geometry.VehicleToCamera(new Point3d(0, 0, 0));
        var rt = Matrix3.FromColumns(new Point3d(r[0, 0], r[1, 0], r[2, 0]), new Point3d(r[0, 1], r[1, 1], r[2, 1]), t);
        _groundToImage = kMatrix * rt;
        _imageToGround = _groundToImage.Inverted();

        // The image of the ground's vanishing line is l = K^-T (R n), n = (0, 0, 1) the ground normal.
        var normal = r.Transform(new Point3d(0, 0, 1));
        var kInvT = kMatrix.Inverted().Transposed();
        var line = kInvT.Transform(normal);
        // Orient the line so that a u + b v + c > 0 below the horizon: the point straight below the camera is below it.
        var below = Geometry.TryProject(new Point3d(Geometry.OpticalCentre.Z * 2, 0, 0), out var p) ? p : new Point2d(k.Cx, k.Cy * 2);
        double sign = line.X * below.X + line.Y * below.Y + line.Z >= 0 ? 1 : -1;
        double scale = sign / Math.Sqrt(line.X * line.X + line.Y * line.Y);
        Horizon = (line.X * scale, line.Y * scale, line.Z * scale);
    }

    /// <summary>The camera geometry this projection uses.</summary>
    public CameraGeometry Geometry { get; }

    /// <summary>
    /// The horizon line <c>A u + B v + C = 0</c> in undistorted pixels, normalised so that (A, B) is a unit
    /// vector and <c>A u + B v + C</c> is the signed distance in pixels, positive below the horizon.
    /// </summary>
    public (double A, double B, double C) Horizon { get; }

    /// <summary>The homography from ground (x, y, 1) to homogeneous pixels, as a new 3x3 array (row-major).</summary>
    public double[,] GroundToImageHomography => _groundToImage.ToArray();

    /// <summary>The homography from homogeneous pixels to ground (x, y, 1), as a new 3x3 array (row-major).</summary>
    public double[,] ImageToGroundHomography => _imageToGround.ToArray();

    /// <summary>Signed distance of a pixel from the horizon in pixels, positive below it.</summary>
    public double DistanceBelowHorizon(Point2d pixel) => Horizon.A * pixel.X + Horizon.B * pixel.Y + Horizon.C;

    /// <summary>The row of the horizon at a given column; NaN when the horizon is vertical there.</summary>
    public double HorizonRowAt(double column) => Math.Abs(Horizon.B) < 1e-12 ? double.NaN : -(Horizon.A * column + Horizon.C) / Horizon.B;

    /// <summary>Projects a ground point to an undistorted pixel.</summary>
    /// <param name="ground">Ground point (x forward, y left), metres.</param>
    /// <param name="pixel">The pixel, which may lie outside the image.</param>
    /// <returns>False when the point is not in front of the camera.</returns>
    public bool TryGroundToPixel(Point2d ground, out Point2d pixel) =>
        Geometry.TryProject(new Point3d(ground.X, ground.Y, 0), out pixel);

    /// <summary>Projects a ground point to an undistorted pixel, throwing when it is not in front of the camera.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The point is behind the camera.</exception>
    public Point2d GroundToPixel(Point2d ground) =>
        TryGroundToPixel(ground, out var pixel)
            ? pixel
            : throw new ArgumentOutOfRangeException(nameof(ground), ground,
                "The ground point is not in front of the camera; only points ahead of the camera project to pixels (use TryGroundToPixel to skip them).");

    /// <summary>Back-projects an undistorted pixel below the horizon to the ground point it sees.</summary>
    /// <param name="pixel">Undistorted pixel (column, row).</param>
    /// <param name="ground">Ground point (x forward, y left), metres.</param>
    /// <returns>False when the pixel is on or above the horizon and sees no ground.</returns>
    public bool TryPixelToGround(Point2d pixel, out Point2d ground)
    {
        if (Geometry.PixelRay(pixel).Z >= -MinDownwardSine)
        {
            ground = default;
            return false;
        }
        var g = _imageToGround.Transform(new Point3d(pixel.X, pixel.Y, 1));
        ground = new Point2d(g.X / g.Z, g.Y / g.Z);
        return true;
    }
}
