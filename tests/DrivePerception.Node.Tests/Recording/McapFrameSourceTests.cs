using System.Diagnostics;
using DrivePerception.Node.Hosting;
using DrivePerception.Node.Recording;
using DrivePerception.Recording.Drives;
using DrivePerception.Recording.Mcap;
using DrivePerception.Vision.Sources;
using OpenCvSharp;

namespace DrivePerception.Node.Tests.Recording;

[Collection(RecordingCollection.Name)]
public sealed class McapFrameSourceTests : IDisposable
{
    private const long Start = 1_700_000_000_000_000_000;
    private const long Interval = 50_000_000; // 20 fps
    private readonly TempFolder _scratch = new("source");

    [Fact]
    public void Read_Drive_FramesMatchUpToJpegLossWithLogTimesAndFps()
    {
        var path = PaletteClip.WriteDrive(_scratch.File("drive.mcap"), 6, fps: 20, Start, Interval);
        using var source = FrameSourceRegistry.ForNode().Open(path, new FrameSourceOptions());

        var mcap = Assert.IsType<McapFrameSource>(source);
        Assert.Equal(20, mcap.NominalFps);
        Assert.Equal(6, mcap.FrameCount);
        for (int i = 0; i < 6; i++)
        {
            var read = source.Read(CancellationToken.None);
            Assert.Equal(FrameReadStatus.Frame, read.Status);
            using var frame = read.Frame!;
            using var drawn = PaletteClip.Draw(i);
            Assert.Equal(i, read.Index);
            Assert.Equal(Start + i * Interval, read.SourceTimeNs);
            // JPEG at quality 95 moves flat colours by a level or two; edges more. The mean stays small.
            using var diff = new Mat();
            Cv2.Absdiff(frame, drawn, diff);
            var mean = Cv2.Mean(diff);
            Assert.True(mean.Val0 + mean.Val1 + mean.Val2 < 6, $"frame {i} differs from the drawing by mean {mean}");
        }
        Assert.Equal(FrameReadStatus.Ended, source.Read(CancellationToken.None).Status);
        Assert.Equal(SourceState.Ended, source.State);
    }

    [Fact]
    public void Open_NoFpsInMetadata_UsesTheMedianFrameInterval()
    {
        var path = PaletteClip.WriteDrive(_scratch.File("nofps.mcap"), 5, fps: 0, Start, 40_000_000);

        using var source = McapFrameSource.Open(path, new FrameSourceOptions());

        Assert.Equal(25, source.NominalFps, 6);
    }

    [Fact]
    public void Read_FrameThatDoesNotDecode_CorruptThenTheStreamGoesOn()
    {
        var path = PaletteClip.WriteDrive(_scratch.File("corrupt.mcap"), 3, fps: 20, Start, Interval, corrupt: 1);
        using var source = McapFrameSource.Open(path, new FrameSourceOptions());

        source.Read(CancellationToken.None).Frame!.Dispose();
        var bad = source.Read(CancellationToken.None);
        var next = source.Read(CancellationToken.None);

        Assert.Equal(FrameReadStatus.Corrupt, bad.Status);
        Assert.Contains("did not decode", bad.Error);
        Assert.Equal(FrameReadStatus.Frame, next.Status);
        Assert.Equal(Start + 2 * Interval, next.SourceTimeNs);
        next.Frame!.Dispose();
    }

    [Fact]
    public void Read_TruncatedDrive_PlaysTheRecoveredFramesAndSaysSo()
    {
        var whole = _scratch.File("whole.mcap");
        using (var recorder = DriveRecorder.Create(whole, new McapWriterOptions { Profile = DriveChannels.Profile, ChunkSize = 4096 }))
        {
            recorder.AddCamera(new DriveCameraInfo("front", 20, PaletteClip.Width, PaletteClip.Height));
            for (int i = 0; i < 10; i++) recorder.WriteFrame("front", i, Start + i * Interval, PaletteClip.Jpeg(i));
        }
        var bytes = File.ReadAllBytes(whole);
        var cut = _scratch.File("cut.mcap");
        File.WriteAllBytes(cut, bytes[..(bytes.Length / 2)]);

        using var source = McapFrameSource.Open(cut, new FrameSourceOptions());
        int frames = 0;
        FrameRead read;
        while ((read = source.Read(CancellationToken.None)).Status == FrameReadStatus.Frame)
        {
            Assert.Equal(Start + frames * Interval, read.SourceTimeNs);
            read.Frame!.Dispose();
            frames++;
        }

        Assert.NotNull(source.Recovery);
        Assert.InRange(frames, 1, 9);
        Assert.Contains("cut short", source.Description);
        Assert.Contains($"played the {frames} frame(s) recovered", read.Error);
    }

    [Fact]
    public void Open_NoCameraChannel_ListsTheChannelsFound()
    {
        var path = _scratch.File("nocamera.mcap");
        using (var recorder = DriveRecorder.Create(path))
            recorder.WriteMessage(DrivePerception.Core.Topics.TopicRegistry.Lanes, 0, Start, [0x80]);

        var e = Assert.Throws<FrameSourceException>(() => FrameSourceRegistry.ForNode().Open(path, new FrameSourceOptions()));

        Assert.Contains("no camera channel", e.Message);
        Assert.Contains("/perception/lanes (x-msgpack)", e.Message);
    }

    [Fact]
    public void Open_TwoCameras_AsksToPickOneWithHash()
    {
        var path = _scratch.File("two.mcap");
        using (var recorder = DriveRecorder.Create(path))
        {
            foreach (var id in new[] { "front", "rear" })
            {
                recorder.AddCamera(new DriveCameraInfo(id, 20, PaletteClip.Width, PaletteClip.Height));
                recorder.WriteFrame(id, 0, Start, PaletteClip.Jpeg(0));
            }
        }

        var e = Assert.Throws<FrameSourceException>(() => FrameSourceRegistry.ForNode().Open(path, new FrameSourceOptions()));
        using var rear = FrameSourceRegistry.ForNode().Open(path + "#rear", new FrameSourceOptions());

        Assert.Contains($"--source '{path}#front'", e.Message);
        Assert.Equal("rear", Assert.IsType<McapFrameSource>(rear).Camera.CameraId);
    }

    [Fact]
    public void Open_Missing_SaysHowToRecordOne()
    {
        var e = Assert.Throws<FrameSourceException>(() => FrameSourceRegistry.ForNode().Open(_scratch.File("absent.mcap"), new FrameSourceOptions()));

        Assert.Contains("drive-perception record", e.Message);
    }

    [Fact]
    public void Read_RealTime_HoldsFramesToTheirRecordedPace()
    {
        var path = PaletteClip.WriteDrive(_scratch.File("paced.mcap"), 5, fps: 20, Start, Interval);
        using var source = McapFrameSource.Open(path, new FrameSourceOptions { RealTime = true });

        var clock = Stopwatch.StartNew();
        for (int i = 0; i < 5; i++) source.Read(CancellationToken.None).Frame!.Dispose();

        // Four intervals of 50 ms lie between the first and the last frame; a lower bound only, so a slow machine cannot fail it.
        Assert.True(clock.ElapsedMilliseconds >= 190, $"5 paced frames at 20 fps took only {clock.ElapsedMilliseconds} ms");
    }

    public void Dispose() => _scratch.Dispose();
}
