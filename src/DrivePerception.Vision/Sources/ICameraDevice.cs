using OpenCvSharp;

namespace DrivePerception.Vision.Sources;

/// <summary>
/// The device under a <see cref="CameraSource"/>: opened, read and closed again when it disappears.
/// <see cref="V4l2Camera"/> is the real one; other capture stacks (GStreamer, vendor SDKs) plug in here.
/// Called from the capture thread only.
/// </summary>
public interface ICameraDevice : IDisposable
{
    /// <summary>The device as the system names it, e.g. "/dev/video0".</summary>
    string Name { get; }

    /// <summary>Frame rate the driver reports after opening; 0 when unknown.</summary>
    double Fps { get; }

    /// <summary>Device timestamp of the last frame read, milliseconds; 0 or less when the driver gives none.</summary>
    double TimestampMs { get; }

    /// <summary>Opens (or reopens) the device; false when it cannot be opened now.</summary>
    bool Open();

    /// <summary>Why the last <see cref="Open"/> failed and how to fix it, in one sentence.</summary>
    string ExplainOpenFailure();

    /// <summary>Reads the next frame into <paramref name="into"/> (BGR); false when the device stopped delivering.</summary>
    bool Read(Mat into);

    /// <summary>Releases the device so that it can be opened again.</summary>
    void Close();
}
