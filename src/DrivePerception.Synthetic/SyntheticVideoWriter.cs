using OpenCvSharp;

namespace DrivePerception.Synthetic;

/// <summary>Writes a rendered run as a Motion-JPEG .avi clip (OpenCV VideoWriter, FourCC MJPG) for a quick look.</summary>
public static class SyntheticVideoWriter
{
    /// <summary>Renders every frame and writes the clip at the run's frame rate.</summary>
    /// <param name="renderer">The run to write.</param>
    /// <param name="path">Output file; must end in <c>.avi</c>. Replaced if present.</param>
    /// <param name="withGroundTruth">True writes <see cref="GroundTruthPreview"/> panels (three times as wide) instead of the bare frames.</param>
    /// <exception cref="ArgumentException">The path does not end in .avi.</exception>
    /// <exception cref="IOException">OpenCV could not open the file for writing.</exception>
    public static void Write(SceneRenderer renderer, string path, bool withGroundTruth = false)
    {
        ArgumentNullException.ThrowIfNull(renderer);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!path.EndsWith(".avi", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"Video path '{path}' must end in .avi: the clip is Motion-JPEG in an AVI container.", nameof(path));
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
            Directory.CreateDirectory(folder);

        var size = renderer.Calibration.ImageSize;
        var frameSize = withGroundTruth ? new Size(size.Width * 3, size.Height) : size;
        using var writer = new VideoWriter(path, FourCC.MJPG, renderer.Settings.Fps, frameSize);
        if (!writer.IsOpened())
            throw new IOException($"OpenCV could not open '{path}' for writing an MJPG video; check the folder is writable.");
        for (int i = 0; i < renderer.FrameCount; i++)
        {
            using var frame = renderer.Render(i);
            if (withGroundTruth)
            {
                using var panel = GroundTruthPreview.Compose(frame);
                writer.Write(panel);
            }
            else
            {
                writer.Write(frame.Image);
            }
        }
    }
}
