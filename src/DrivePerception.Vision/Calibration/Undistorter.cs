using OpenCvSharp;

namespace DrivePerception.Vision.Calibration;

/// <summary>
/// Removes lens distortion from frames of one calibrated camera. The remap tables are built once, at
/// construction, with <c>InitUndistortRectifyMap</c>; each frame then costs one <c>Remap</c>.
/// </summary>
/// <remarks>
/// The output keeps the calibration's camera matrix, so undistorted pixels fit <see cref="CameraGeometry"/> and
/// <see cref="GroundPlaneProjection"/> directly. The undistorter owns its two map Mats and frees them in
/// <see cref="Dispose"/>. The maps are only read after construction, so one instance may serve several threads
/// at once as long as each call writes to its own destination.
/// </remarks>
public sealed class Undistorter : IDisposable
{
    private readonly Mat _mapXY;
    private readonly Mat _mapInterpolation;
    private readonly Mat _cameraMatrix;
    private readonly Mat _distortion;
    private bool _disposed;

    /// <summary>Builds the remap tables for a calibration.</summary>
    public Undistorter(CameraCalibration calibration)
    {
        ArgumentNullException.ThrowIfNull(calibration);
        Calibration = calibration;
        _cameraMatrix = calibration.CreateCameraMatrix();
        _distortion = calibration.CreateDistortionCoefficients();
        _mapXY = new Mat();
        _mapInterpolation = new Mat();
        try
        {
            using var identity = Mat.Eye(3, 3, MatType.CV_64FC1).ToMat();
            // Fixed-point maps (CV_16SC2 + interpolation table) remap about twice as fast as float maps.
            Cv2.InitUndistortRectifyMap(_cameraMatrix, _distortion, identity, _cameraMatrix, calibration.ImageSize,
                MatType.CV_16SC2, _mapXY, _mapInterpolation);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The calibration whose distortion this removes.</summary>
    public CameraCalibration Calibration { get; }

    /// <summary>True when the calibration has no distortion, so <see cref="Undistort(Mat, Mat, InterpolationFlags)"/> only copies.</summary>
    public bool IsIdentity => Calibration.Distortion.IsZero;

    /// <summary>Undistorts a frame into a destination the caller owns (allocated or resized as needed).</summary>
    /// <param name="source">Raw frame of the calibration's image size, any type Remap accepts (e.g. CV_8UC3); not modified.</param>
    /// <param name="destination">Receives the undistorted frame; must not be <paramref name="source"/>.</param>
    /// <param name="interpolation">Linear for images; Nearest for label maps so no class ids are blended.</param>
    /// <exception cref="ArgumentException">The frame size differs from the calibration's image size, or source and destination are the same Mat.</exception>
    public void Undistort(Mat source, Mat destination, InterpolationFlags interpolation = InterpolationFlags.Linear)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        if (source.Size() != Calibration.ImageSize)
            throw new ArgumentException(
                $"Frame is {source.Width}x{source.Height} but calibration '{Calibration.Name}' is for {Calibration.ImageSize.Width}x{Calibration.ImageSize.Height}; " +
                "resize the frame first or load the calibration made for this resolution.", nameof(source));
        if (ReferenceEquals(source, destination) || source.Data == destination.Data && !source.Empty())
            throw new ArgumentException("Undistortion cannot run in place; pass a separate destination Mat.", nameof(destination));
        if (IsIdentity)
        {
            source.CopyTo(destination);
            return;
        }
        Cv2.Remap(source, destination, _mapXY, _mapInterpolation, interpolation, BorderTypes.Constant, Scalar.All(0));
    }

    /// <summary>Undistorts a frame into a new Mat, which the caller owns and disposes.</summary>
    public Mat Undistort(Mat source, InterpolationFlags interpolation = InterpolationFlags.Linear)
    {
        var destination = new Mat();
        try
        {
            Undistort(source, destination, interpolation);
            return destination;
        }
        catch
        {
            destination.Dispose();
            throw;
        }
    }

    /// <summary>Maps raw (distorted) pixel coordinates to undistorted pixel coordinates of the same camera matrix.</summary>
    public Point2d[] UndistortPoints(IReadOnlyList<Point2d> rawPixels)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(rawPixels);
        if (rawPixels.Count == 0)
            return [];
        using var source = new Mat(rawPixels.Count, 1, MatType.CV_64FC2);
        for (int i = 0; i < rawPixels.Count; i++)
            source.Set(i, 0, new Vec2d(rawPixels[i].X, rawPixels[i].Y));
        using var result = new Mat();
        Cv2.UndistortPoints(source, result, _cameraMatrix, _distortion, null, _cameraMatrix);
        var points = new Point2d[rawPixels.Count];
        for (int i = 0; i < points.Length; i++)
        {
            var v = result.Get<Vec2d>(i, 0);
            points[i] = new Point2d(v.Item0, v.Item1);
        }
        return points;
    }

    /// <summary>Frees the remap tables.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        _mapXY.Dispose();
        _mapInterpolation.Dispose();
        _cameraMatrix.Dispose();
        _distortion.Dispose();
    }
}
