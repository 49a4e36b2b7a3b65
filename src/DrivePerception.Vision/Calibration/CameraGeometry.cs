using OpenCvSharp;

namespace DrivePerception.Vision.Calibration;

/// <summary>
/// The mounted pinhole camera as geometry: maps points of the vehicle frame to the camera frame and to
/// undistorted pixels, and pixels back to viewing rays. Immutable; safe to share between threads.
/// </summary>
/// <remarks>
/// Frames: vehicle frame x forward, y left, z up, metres, origin on the ground directly below the optical
/// centre (so the camera sits at (0, 0, height)). Camera frame is OpenCV's: x right, y down, z along the
/// optical axis. Pixels are undistorted: apply <see cref="Undistorter"/> to raw frames (or
/// <see cref="Undistorter.UndistortPoints"/> to raw pixel coordinates) before using them here. Pixel
/// centres are at integer coordinates, as in OpenCV.
/// </remarks>
public sealed class CameraGeometry
{
    // Vehicle -> camera for an unrotated camera looking along +x: camera x = -y (right), camera y = -z (down), camera z = x.
    private static readonly Matrix3 BodyToOptical = new(0, -1, 0, 0, 0, -1, 1, 0, 0);

    private readonly Matrix3 _vehicleToCamera;
    private readonly Matrix3 _cameraToVehicle;
    private readonly double _fx, _fy, _cx, _cy;

    /// <summary>Builds the geometry of a calibrated camera.</summary>
    public CameraGeometry(CameraCalibration calibration)
    {
        ArgumentNullException.ThrowIfNull(calibration);
        Calibration = calibration;
        var m = calibration.Mounting;
        const double deg = Math.PI / 180;
        var bodyInVehicle = Matrix3.RotationZ(m.YawDeg * deg) * Matrix3.RotationY(m.PitchDeg * deg) * Matrix3.RotationX(m.RollDeg * deg);
        _vehicleToCamera = BodyToOptical * bodyInVehicle.Transposed();
        _cameraToVehicle = _vehicleToCamera.Transposed();
        (_fx, _fy, _cx, _cy) = (calibration.Intrinsics.Fx, calibration.Intrinsics.Fy, calibration.Intrinsics.Cx, calibration.Intrinsics.Cy);
        OpticalCentre = new Point3d(0, 0, m.HeightM);
    }

    /// <summary>The calibration this geometry was built from.</summary>
    public CameraCalibration Calibration { get; }

    /// <summary>The optical centre in the vehicle frame: (0, 0, height).</summary>
    public Point3d OpticalCentre { get; }

    /// <summary>Rotation from vehicle-frame to camera-frame directions, as a new 3x3 array (row-major).</summary>
    public double[,] VehicleToCameraRotation => _vehicleToCamera.ToArray();

    internal Matrix3 VehicleToCameraMatrix => _vehicleToCamera;

    /// <summary>A vehicle-frame point in the camera frame (x right, y down, z forward along the optical axis).</summary>
    public Point3d VehicleToCamera(Point3d vehicle) => _vehicleToCamera.Transform(vehicle - OpticalCentre);

    /// <summary>A camera-frame point in the vehicle frame.</summary>
    public Point3d CameraToVehicle(Point3d camera) => _cameraToVehicle.Transform(camera) + OpticalCentre;

    /// <summary>Pinhole projection of a camera-frame point to an undistorted pixel. Only meaningful for z &gt; 0.</summary>
    public Point2d CameraToPixel(Point3d camera) =>
        new(_fx * camera.X / camera.Z + _cx, _fy * camera.Y / camera.Z + _cy);

    /// <summary>Projects a vehicle-frame point to an undistorted pixel.</summary>
    /// <param name="vehicle">Point in the vehicle frame, metres.</param>
    /// <param name="pixel">The pixel, which may lie outside the image.</param>
    /// <returns>False when the point is not in front of the camera (camera depth at most 1 mm).</returns>
    public bool TryProject(Point3d vehicle, out Point2d pixel)
    {
        var c = VehicleToCamera(vehicle);
        if (c.Z <= 1e-3)
        {
            pixel = default;
            return false;
        }
        pixel = CameraToPixel(c);
        return true;
    }

    /// <summary>Unit direction, in the vehicle frame, of the ray from the optical centre through an undistorted pixel.</summary>
    public Point3d PixelRay(Point2d pixel)
    {
        var d = _cameraToVehicle.Transform(new Point3d((pixel.X - _cx) / _fx, (pixel.Y - _cy) / _fy, 1));
        double n = Math.Sqrt(d.X * d.X + d.Y * d.Y + d.Z * d.Z);
        return new Point3d(d.X / n, d.Y / n, d.Z / n);
    }
}
