using DrivePerception.Recording.Drives;
using DrivePerception.Synthetic;
using DrivePerception.Synthetic.Output;
using OpenCvSharp;

namespace DrivePerception.Node.Synthetic;

/// <summary>
/// Writes a rendered scenario as a drive: the camera frames (JPEG) that replay and regress feed to the
/// node, plus the exact ground truth of every frame on /groundtruth/ channels, which replay ignores.
/// </summary>
public static class SyntheticDriveWriter
{
    /// <summary>Ground-truth class map per frame: 8-bit PNG of CamVid class ids.</summary>
    public static readonly string ClassMapChannel = DriveChannels.GroundTruth("classmap");
    /// <summary>Ground-truth lane slots per frame: 8-bit PNG, 0 background, 1..4 the slot.</summary>
    public static readonly string LanesChannel = DriveChannels.GroundTruth("lanes");
    /// <summary>Ground-truth instance ids per frame: 16-bit PNG, 0 none.</summary>
    public static readonly string InstancesChannel = DriveChannels.GroundTruth("instances");
    /// <summary>Per-frame JSON: instances (class, box, ground position, speed) and lane polylines in pixels and metres.</summary>
    public static readonly string FrameChannel = DriveChannels.GroundTruth("frame");

    /// <summary>Renders every frame of <paramref name="renderer"/> into <paramref name="path"/>; returns the frames written.</summary>
    public static long Write(SceneRenderer renderer, string path, string cameraId, int jpegQuality, int seed, string calibrationName,
        Action<int>? progress = null)
    {
        var size = renderer.Calibration.ImageSize;
        using var recorder = DriveRecorder.Create(path);
        recorder.AddCamera(new DriveCameraInfo(cameraId, renderer.Settings.Fps, size.Width, size.Height));
        recorder.AddChannel(ClassMapChannel, "x-png");
        recorder.AddChannel(LanesChannel, "x-png");
        recorder.AddChannel(InstancesChannel, "x-png");
        recorder.AddChannel(FrameChannel, "json");
        var jpeg = new ImageEncodingParam(ImwriteFlags.JpegQuality, jpegQuality);
        // Drives start at a fixed epoch so that the same seed gives the same bytes (times included).
        const long startNs = 1_700_000_000_000_000_000;
        for (int i = 0; i < renderer.FrameCount; i++)
        {
            using var frame = renderer.Render(i);
            long t = startNs + (long)Math.Round(frame.TimeSeconds * 1e9);
            Cv2.ImEncode(".jpg", frame.Image, out byte[] jpegBytes, jpeg);
            recorder.WriteFrame(cameraId, i, t, jpegBytes, t);
            recorder.Write(ClassMapChannel, i, t, Png(frame.Truth.ClassMap), t);
            recorder.Write(LanesChannel, i, t, Png(frame.Truth.LaneMap), t);
            recorder.Write(InstancesChannel, i, t, Png(frame.Truth.InstanceMap), t);
            recorder.Write(FrameChannel, i, t, FrameAnnotationJson.Serialize(frame, $"{renderer.Scenario.Name}_{i:D5}",
                renderer.Scenario.Name, seed, calibrationName), t);
            progress?.Invoke(i + 1);
        }
        return recorder.FramesWritten;
    }

    private static byte[] Png(Mat map)
    {
        if (map.Type() == MatType.CV_32SC1)
        {
            // Instance ids fit 16 bits in any scene the renderer makes; PNG has no 32-bit grey.
            using var wide = new Mat();
            map.ConvertTo(wide, MatType.CV_16UC1);
            return wide.ImEncode(".png");
        }
        return map.ImEncode(".png");
    }
}
