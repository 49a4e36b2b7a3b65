using DrivePerception.Vision.Sources;
using OpenCvSharp;

namespace DrivePerception.Vision.Tests.Sources;

public sealed class VideoFileSourceTests
{
    [Fact]
    public void Read_MjpgAvi_ReturnsEveryFrameWithSizeTimeAndOrder()
    {
        using var dir = new TempDirectory();
        var avi = dir.WriteAvi("drive.avi", frames: 12, fps: 10, width: 64, height: 48);
        using var source = VideoFileSource.Open(avi, new FrameSourceOptions());
        Assert.Equal(SourceState.Starting, source.State);
        Assert.Equal(10, source.NominalFps, 3);
        Assert.False(source.IsLive);
        Assert.Contains("64x48", source.Description);

        for (int i = 0; i < 12; i++)
        {
            var read = source.Read(CancellationToken.None);
            Assert.Equal(FrameReadStatus.Frame, read.Status);
            using var frame = read.Frame!;
            Assert.Equal(i, read.Index);
            Assert.Equal(new Size(64, 48), frame.Size());
            Assert.Equal(MatType.CV_8UC3, frame.Type());
            Assert.Equal(i * 100_000_000L, read.SourceTimeNs, 1_000_000.0);
            // MJPG is lossy: the blue level written as 20 * i comes back within a few levels.
            Assert.Equal(20 * i, frame.Mean().Val0, 4.0);
            Assert.True(read.CaptureMonoNs > 0);
            Assert.Equal(SourceState.Streaming, source.State);
        }
        var end = source.Read(CancellationToken.None);
        Assert.Equal(FrameReadStatus.Ended, end.Status);
        Assert.Null(end.Frame);
        Assert.Null(end.Error);
        Assert.Equal(SourceState.Ended, source.State);
        Assert.Equal(FrameReadStatus.Ended, source.Read(CancellationToken.None).Status);
    }

    [Fact]
    public void Open_GarbageFile_ThrowsCannotOpenWithFix()
    {
        using var dir = new TempDirectory();
        var path = dir.File("broken.mp4");
        File.WriteAllBytes(path, new byte[4096]);
        var e = Assert.Throws<FrameSourceException>(() => VideoFileSource.Open(path, new FrameSourceOptions()));
        Assert.Equal($"Source '{path}' could not be opened as a video: FFmpeg cannot read the container (truncated, still being written, or not a video). Check the file with 'ffprobe {path}' or re-encode it, e.g. 'ffmpeg -i {path} -c:v libx264 out.mp4'.", e.Message);
        Assert.Equal(path, e.Spec);
    }

    [Fact]
    public void Open_MissingFile_ThrowsNotFound()
    {
        var e = Assert.Throws<FrameSourceException>(() => VideoFileSource.Open("no-such-drive.mp4", new FrameSourceOptions()));
        Assert.Equal("Source 'no-such-drive.mp4' not found. Give a video file, an image pattern like 'frames/*.png' or 'img_%05d.jpg', or camera:0.", e.Message);
    }

    [Fact]
    public void Read_RealTime_DeliversNoFasterThanSourceTime()
    {
        using var dir = new TempDirectory();
        var avi = dir.WriteAvi("paced.avi", frames: 5, fps: 25, width: 32, height: 32);
        using var source = VideoFileSource.Open(avi, new FrameSourceOptions { RealTime = true });
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (int i = 0; i < 5; i++) source.Read(CancellationToken.None).Frame!.Dispose();
        // Frame 4 is due 160 ms after frame 0: a lower bound on correctness, not a speed test.
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(150), $"5 frames at 25 fps came in {clock.Elapsed.TotalMilliseconds} ms");
    }

    [Fact]
    public void Read_Cancelled_Throws()
    {
        using var dir = new TempDirectory();
        var avi = dir.WriteAvi("c.avi", frames: 2, fps: 10, width: 32, height: 32);
        using var source = VideoFileSource.Open(avi, new FrameSourceOptions());
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.Throws<OperationCanceledException>(() => source.Read(cts.Token));
    }

    [Fact]
    public void Read_AfterDispose_ThrowsObjectDisposed()
    {
        using var dir = new TempDirectory();
        var avi = dir.WriteAvi("d.avi", frames: 2, fps: 10, width: 32, height: 32);
        var source = VideoFileSource.Open(avi, new FrameSourceOptions());
        source.Dispose();
        Assert.Throws<ObjectDisposedException>(() => source.Read(CancellationToken.None));
    }
}
