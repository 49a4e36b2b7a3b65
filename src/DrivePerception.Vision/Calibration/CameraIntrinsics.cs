namespace DrivePerception.Vision.Calibration;

/// <summary>
/// Pinhole intrinsics in pixels: focal lengths and principal point, the non-zero entries of OpenCV's
/// camera matrix <c>[fx 0 cx; 0 fy cy; 0 0 1]</c>. Skew is always zero.
/// </summary>
/// <param name="Fx">Focal length along image x (columns), pixels.</param>
/// <param name="Fy">Focal length along image y (rows), pixels.</param>
/// <param name="Cx">Principal point column, pixels (pixel centres are at integer coordinates).</param>
/// <param name="Cy">Principal point row, pixels.</param>
public readonly record struct CameraIntrinsics(double Fx, double Fy, double Cx, double Cy)
{
    /// <summary>Intrinsics for a given horizontal field of view, with the principal point at the image centre.</summary>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="height">Image height in pixels.</param>
    /// <param name="horizontalFovDeg">Horizontal field of view in degrees, in (0, 180).</param>
    public static CameraIntrinsics FromHorizontalFov(int width, int height, double horizontalFovDeg)
    {
        if (!(horizontalFovDeg > 0 && horizontalFovDeg < 180))
            throw new ArgumentOutOfRangeException(nameof(horizontalFovDeg), horizontalFovDeg,
                "The horizontal field of view must be between 0 and 180 degrees (exclusive); 60 suits a dash camera.");
        double f = width / 2.0 / Math.Tan(horizontalFovDeg * Math.PI / 360.0);
        return new CameraIntrinsics(f, f, width / 2.0, height / 2.0);
    }
}
