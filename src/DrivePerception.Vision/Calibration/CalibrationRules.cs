using OpenCvSharp;

namespace DrivePerception.Vision.Calibration;

/// <summary>
/// The value checks shared by <see cref="CameraCalibration"/>'s constructor and the YAML loader, so a
/// calibration built in code and one read from a file fail with the same advice. Each check returns null
/// when the value is fine, else a sentence that names the value and how to fix it.
/// </summary>
internal static class CalibrationRules
{
    /// <summary>Smallest and largest accepted image side, pixels.</summary>
    public const int MinImageSide = 16, MaxImageSide = 16384;

    /// <summary>Largest accepted mounting height: above this the "camera on a vehicle" model is surely wrong.</summary>
    public const double MaxHeightM = 10;

    /// <summary>Largest accepted |pitch|: beyond it the ground fills or leaves the view and the homography degenerates.</summary>
    public const double MaxAbsPitchDeg = 60;

    /// <summary>Largest accepted |roll|.</summary>
    public const double MaxAbsRollDeg = 45;

    public static string? CheckImageSize(Size size) =>
        size.Width is < MinImageSide or > MaxImageSide || size.Height is < MinImageSide or > MaxImageSide
            ? $"image size {size.Width}x{size.Height} is outside {MinImageSide}..{MaxImageSide} pixels per side; " +
              "set image_width and image_height to the size of the frames this calibration was made for"
            : null;

    public static string? CheckIntrinsics(Size size, CameraIntrinsics k)
    {
        if (!(double.IsFinite(k.Fx) && k.Fx > 0 && double.IsFinite(k.Fy) && k.Fy > 0))
            return $"focal lengths fx={k.Fx}, fy={k.Fy} must be positive, finite pixels; " +
                   "for a 60 degree horizontal field of view fx = fy = width / (2 tan 30 deg)";
        if (!(double.IsFinite(k.Cx) && k.Cx >= 0 && k.Cx <= size.Width && double.IsFinite(k.Cy) && k.Cy >= 0 && k.Cy <= size.Height))
            return $"principal point cx={k.Cx}, cy={k.Cy} lies outside the {size.Width}x{size.Height} image; " +
                   "it is usually near the image centre (width/2, height/2)";
        return null;
    }

    public static string? CheckDistortion(LensDistortion d) =>
        double.IsFinite(d.K1) && double.IsFinite(d.K2) && double.IsFinite(d.P1) && double.IsFinite(d.P2) && double.IsFinite(d.K3)
            ? null
            : $"distortion coefficients [{d.K1}, {d.K2}, {d.P1}, {d.P2}, {d.K3}] must all be finite numbers; use zeros for an ideal lens";

    public static string? CheckMounting(CameraMounting m)
    {
        if (!(double.IsFinite(m.HeightM) && m.HeightM > 0 && m.HeightM <= MaxHeightM))
            return $"mounting height_m={m.HeightM} must be above 0 and at most {MaxHeightM} metres " +
                   "(height of the lens above the road, e.g. 1.4 for a windscreen camera)";
        if (!(double.IsFinite(m.PitchDeg) && Math.Abs(m.PitchDeg) <= MaxAbsPitchDeg))
            return $"mounting pitch_deg={m.PitchDeg} must be within +-{MaxAbsPitchDeg} degrees (positive looks down); " +
                   "check that it is in degrees, not radians";
        if (!(double.IsFinite(m.YawDeg) && m.YawDeg > -180 && m.YawDeg <= 180))
            return $"mounting yaw_deg={m.YawDeg} must be within (-180, 180] degrees (positive looks left)";
        if (!(double.IsFinite(m.RollDeg) && Math.Abs(m.RollDeg) <= MaxAbsRollDeg))
            return $"mounting roll_deg={m.RollDeg} must be within +-{MaxAbsRollDeg} degrees (positive lifts the camera's left side)";
        return null;
    }
}
