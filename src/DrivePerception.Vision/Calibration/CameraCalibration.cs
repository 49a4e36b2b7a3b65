using OpenCvSharp;

namespace DrivePerception.Vision.Calibration;

/// <summary>
/// One camera's calibration: the image size it applies to, pinhole intrinsics, lens distortion and how the
/// camera is mounted on the vehicle. Immutable and validated on construction.
/// </summary>
/// <remarks>
/// Files: <see cref="Load"/> and <see cref="Save"/> read and write OpenCV FileStorage YAML in the layout of
/// <c>calibration/README.md</c>. Geometry: <see cref="CameraGeometry"/> and <see cref="GroundPlaneProjection"/>
/// work in undistorted pixels; <see cref="Undistorter"/> turns raw frames into those.
/// </remarks>
public sealed class CameraCalibration
{
    /// <summary>Builds a calibration, checking every value.</summary>
    /// <param name="name">A short name for logs and file headers, e.g. <c>synthetic-480x360</c>.</param>
    /// <param name="imageSize">Size of the frames this calibration describes, pixels.</param>
    /// <param name="intrinsics">Pinhole intrinsics for that size.</param>
    /// <param name="distortion">Lens distortion; <see cref="LensDistortion.None"/> for an ideal lens.</param>
    /// <param name="mounting">Height and angles of the camera on the vehicle.</param>
    /// <exception cref="ArgumentException">A value is out of range; the message says which and how to fix it.</exception>
    public CameraCalibration(string name, Size imageSize, CameraIntrinsics intrinsics, LensDistortion distortion, CameraMounting mounting)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new ArgumentException("A calibration needs a name (e.g. the camera id); pass a non-empty string.", nameof(name));
        Throw(CalibrationRules.CheckImageSize(imageSize), nameof(imageSize));
        Throw(CalibrationRules.CheckIntrinsics(imageSize, intrinsics), nameof(intrinsics));
        Throw(CalibrationRules.CheckDistortion(distortion), nameof(distortion));
        Throw(CalibrationRules.CheckMounting(mounting), nameof(mounting));
        (Name, ImageSize, Intrinsics, Distortion, Mounting) = (name, imageSize, intrinsics, distortion, mounting);
    }

    /// <summary>Short name of the camera, e.g. <c>synthetic-480x360</c>.</summary>
    public string Name { get; }

    /// <summary>Size of the frames this calibration describes, pixels.</summary>
    public Size ImageSize { get; }

    /// <summary>Pinhole intrinsics, pixels.</summary>
    public CameraIntrinsics Intrinsics { get; }

    /// <summary>Lens distortion coefficients.</summary>
    public LensDistortion Distortion { get; }

    /// <summary>Mounting height and angles on the vehicle.</summary>
    public CameraMounting Mounting { get; }

    /// <summary>Reads a calibration from an OpenCV FileStorage YAML file.</summary>
    /// <exception cref="CalibrationFileException">The file is missing, unreadable, or a key is missing or invalid.</exception>
    public static CameraCalibration Load(string path) => CalibrationFile.Load(path);

    /// <summary>Writes this calibration to an OpenCV FileStorage YAML file, replacing it if present.</summary>
    public void Save(string path) => CalibrationFile.Save(this, path);

    /// <summary>A copy with other lens distortion (for instance none, after undistortion).</summary>
    public CameraCalibration WithDistortion(LensDistortion distortion) => new(Name, ImageSize, Intrinsics, distortion, Mounting);

    /// <summary>The 3x3 CV_64FC1 camera matrix. The caller owns the returned Mat and disposes it.</summary>
    public Mat CreateCameraMatrix() => Mat.FromArray(new double[,]
    {
        { Intrinsics.Fx, 0, Intrinsics.Cx },
        { 0, Intrinsics.Fy, Intrinsics.Cy },
        { 0, 0, 1 },
    });

    /// <summary>The 1x5 CV_64FC1 distortion vector <c>[k1 k2 p1 p2 k3]</c>. The caller owns the returned Mat.</summary>
    public Mat CreateDistortionCoefficients() => Mat.FromArray(new double[,]
    {
        { Distortion.K1, Distortion.K2, Distortion.P1, Distortion.P2, Distortion.K3 },
    });

    /// <inheritdoc />
    public override string ToString() =>
        $"{Name}: {ImageSize.Width}x{ImageSize.Height}, fx={Intrinsics.Fx:F2} fy={Intrinsics.Fy:F2} cx={Intrinsics.Cx:F2} cy={Intrinsics.Cy:F2}, " +
        $"height {Mounting.HeightM:F2} m, pitch {Mounting.PitchDeg:F2}, yaw {Mounting.YawDeg:F2}, roll {Mounting.RollDeg:F2} deg";

    private static void Throw(string? problem, string parameter)
    {
        if (problem is not null)
            throw new ArgumentException($"Invalid camera calibration: {problem}.", parameter);
    }
}
