using DrivePerception.Vision.Sources;

namespace DrivePerception.Node.Recording;

/// <summary>
/// What the recorder knows of one camera: how its source's times become log times, its rate and description (for the
/// camera channel's metadata), the overlay it is gathering and the newest log time it recorded (status messages take
/// it). The source facts are set before capture starts; the rest is the recorder thread's.
/// </summary>
public sealed class RecordedCamera
{
    /// <summary>A camera whose source is not known yet (a message came before its tap was attached).</summary>
    public RecordedCamera(string cameraId)
    {
        CameraId = cameraId;
    }

    /// <summary>The camera id: its image channel and, in a recording of several cameras, the suffix of its output channels.</summary>
    public string CameraId { get; }

    /// <summary>How the camera's frames and messages get their log times.</summary>
    public RecordingClock Clock { get; private set; } = new(live: false, sourceTimesAreLogTimes: false);

    /// <summary>The source's nominal rate (0: unknown).</summary>
    public double SourceFps { get; private set; }

    /// <summary>The source's description, recorded in the camera channel's metadata.</summary>
    public string SourceDescription { get; private set; } = "";

    /// <summary>The frame whose overlay is being gathered (recorder thread).</summary>
    public FrameOverlay Overlay { get; } = new();

    /// <summary>The newest log time of a recorded frame, -1 before the first (recorder thread).</summary>
    public long LastFrameLogTimeNs { get; set; } = -1;

    /// <summary>Learns the source's kind (for log times), rate and description.</summary>
    public void Attach(IFrameSource source)
    {
        Clock = new RecordingClock(source.IsLive, source is McapFrameSource);
        SourceFps = source.NominalFps;
        SourceDescription = source.Description;
    }
}
