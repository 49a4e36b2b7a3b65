using DrivePerception.Vision.Calibration;
using OpenCvSharp;

namespace DrivePerception.Synthetic;

/// <summary>
/// The renderer's virtual cameras, built in code with the same values as <c>calibration/synthetic-WxH.yaml</c>:
/// 60 degree horizontal field of view, principal point at the image centre, no distortion, 1.4 m above the
/// road, pitched 1 degree down.
/// </summary>
public static class VirtualCamera
{
    /// <summary>Horizontal field of view, degrees.</summary>
    public const double HorizontalFovDeg = 60;

    /// <summary>Lens height above the road, metres.</summary>
    public const double HeightM = 1.4;

    /// <summary>Downward pitch, degrees.</summary>
    public const double PitchDeg = 1;

    /// <summary>The default camera, 480x360 like CamVid.</summary>
    public static CameraCalibration Default { get; } = Create(480, 360);

    /// <summary>A virtual camera of any size.</summary>
    public static CameraCalibration Create(int width, int height)
    {
        double f = width / 2.0 / Math.Tan(HorizontalFovDeg * Math.PI / 360);
        return new CameraCalibration($"synthetic-{width}x{height}", new Size(width, height),
            new CameraIntrinsics(f, f, (width - 1) / 2.0, (height - 1) / 2.0), LensDistortion.None,
            new CameraMounting(HeightM, PitchDeg, 0, 0));
    }
}
