using DrivePerception.Vision.Sources;

namespace DrivePerception.Vision.Tests.Sources;

/// <summary>The <see cref="IFrameSource"/> contract for a video file (MJPG AVI, which every OpenCV build writes).</summary>
public sealed class VideoFileSourceContractTests : FrameSourceContractTests, IDisposable
{
    private readonly TempDirectory _dir = new();

    protected override int FrameCount => 5;

    protected override IFrameSource Open()
    {
        var avi = _dir.File("drive.avi");
        if (!File.Exists(avi)) _dir.WriteAvi("drive.avi", frames: FrameCount, fps: 10, width: 32, height: 24);
        return VideoFileSource.Open(avi, new FrameSourceOptions());
    }

    public void Dispose() => _dir.Dispose();
}
