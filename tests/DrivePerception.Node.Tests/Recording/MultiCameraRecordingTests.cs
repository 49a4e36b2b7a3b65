using DrivePerception.Core.Messages;
using DrivePerception.Core.Topics;
using DrivePerception.Recording.Drives;
using DrivePerception.Recording.Drives.Regression;

namespace DrivePerception.Node.Tests.Recording;

/// <summary>record -> replay -> regress of two shipped drives as two cameras of one node, through the real commands.</summary>
[Collection(RecordingCollection.Name)]
public sealed class MultiCameraRecordingTests(TwoCameraDrive two) : IClassFixture<TwoCameraDrive>
{
    private TwoCameraDrive Two { get; } = two;

    [Fact]
    public void Record_TwoCameras_EachCameraOnChannelsOfItsOwn()
    {
        Assert.Equal(0, Two.RecordExit);
        using var reader = DriveReader.Open(Two.Drive);

        Assert.Equal(["front", "rear"], reader.Cameras.Select(c => c.CameraId));
        Assert.Equal(["front", "rear"], reader.OutputCameras);
        foreach (var (id, source) in new[] { ("front", Two.Front), ("rear", Two.Rear) })
        {
            using var original = DriveReader.Open(source);
            var expected = original.ReadFrames("front").Take(TwoCameraDrive.Frames).ToList();
            var frames = reader.ReadFrames(id).ToList();
            // A recorded drive is re-recorded with its original bytes and times, camera by camera.
            Assert.Equal(expected.Select(f => f.LogTimeNs), frames.Select(f => f.LogTimeNs));
            Assert.All(expected.Zip(frames), p => Assert.Equal(p.First.Image.ToArray(), p.Second.Image.ToArray()));

            var lanes = reader.ReadMessages<LaneMessage>(TopicRegistry.Lanes, id).ToList();
            Assert.Equal(frames.Select(f => f.LogTimeNs), lanes.Select(m => m.LogTimeNs));
            Assert.All(lanes, m => Assert.Equal(id, m.Message.Header.CameraId));
            Assert.Equal(TwoCameraDrive.Frames, reader.MessageCount(DriveChannels.ForWireTopic(TopicRegistry.Vehicles, id)));
            Assert.Equal(TwoCameraDrive.Frames, reader.MessageCount(DriveChannels.OverlayOf(id)));
            Assert.All(reader.ReadMessages<StatusMessage>(TopicRegistry.Status, id), s => Assert.Equal(id, s.Message.CameraId));
        }
        // Nothing on the single-camera channels: a reader of one camera's outputs never mixes two cameras.
        Assert.False(reader.HasChannel(TopicRegistry.Lanes));
        Assert.False(reader.HasChannel(DriveChannels.Overlay));
    }

    [Fact]
    public void Replay_TwoCameraDrive_ReplaysEveryCameraOnItsOwn()
    {
        Assert.Equal(0, Two.GoldenExit);
        using var drive = DriveReader.Open(Two.Drive);
        using var golden = DriveReader.Open(Two.Golden);

        Assert.Equal(["front", "rear"], golden.Cameras.Select(c => c.CameraId));
        foreach (var id in new[] { "front", "rear" })
        {
            var times = drive.ReadFrames(id).Select(f => f.LogTimeNs).ToList();
            var vehicles = golden.ReadMessages<InstanceMessage>(TopicRegistry.Vehicles, id).ToList();
            Assert.Equal(times, vehicles.Select(v => v.LogTimeNs));
            Assert.Equal(times, vehicles.Select(v => v.Message.Header.SourceTimeNs));
            Assert.All(vehicles, v => Assert.Equal(id, v.Message.Header.CameraId));
            // Each camera counts its own frames from 0.
            Assert.Equal(Enumerable.Range(0, TwoCameraDrive.Frames).Select(i => (long)i), vehicles.Select(v => v.Message.Header.Sequence));
        }
    }

    [Fact]
    public void Regress_TwoCameraDrive_ComparesEachCameraOnItsOwn()
    {
        using var scratch = Two.NewScratch("two-regress");

        var (exit, report) = NodeCli.Regress(scratch, [Two.Drive]);

        Assert.True(exit == 0, RegressionTable.Render(report));
        Assert.Equal(["front/lanes", "front/vehicles", "front/pedestrians", "rear/lanes", "rear/vehicles", "rear/pedestrians"],
            report.Topics.Select(t => t.Label));
        Assert.All(report.Topics, t => Assert.Equal((TwoCameraDrive.Frames, 0), (t.FramesCompared, t.Missing)));
        Assert.Equal(2 * TwoCameraDrive.Frames, report.Latency!.Frames);
    }

    [Fact]
    public void Regress_GoldenOfOtherCameraOrder_StillPairsByCamera()
    {
        // The golden made from one camera alone: front's outputs compared with front's, though the drive has two.
        using var scratch = Two.NewScratch("two-front");
        var golden = NodeCli.GoldenOfCamera(scratch, Two.Drive, "front");

        var (exit, report) = NodeCli.Regress(scratch, [Two.Drive, "--camera", "front", "--golden", golden]);

        Assert.True(exit == 0, RegressionTable.Render(report));
        Assert.All(report.Topics, t => Assert.Equal("front", t.Camera));
        Assert.Equal(TwoCameraDrive.Frames, report.Latency!.Frames);
    }

    [Fact]
    public void Regress_CameraTheGoldenLacks_ExitsTwoNamingIt()
    {
        using var scratch = Two.NewScratch("two-lacks");
        var golden = NodeCli.GoldenOfCamera(scratch, Two.Drive, "front");

        var (exit, report) = NodeCli.Regress(scratch, [Two.Drive, "--golden", golden]);

        Assert.Equal(2, exit);
        Assert.Contains("no outputs of camera 'rear'", report.ErrorMessage);
    }

    [Theory]
    [InlineData("replay|DRIVE|--camera|side", "records no such camera (cameras: front, rear)")]
    [InlineData("replay|DRIVE|--camera|front|--camera|front", "--camera 'front' is given twice")]
    [InlineData("regress|DRIVE|--camera|side", "records no such camera (cameras: front, rear)")]
    [InlineData("replay|DRIVE#side", "records no camera 'side' (cameras: front, rear)")]
    public void Replay_BadCameraFilter_ExitsTwoWithOneLine(string args, string expected)
    {
        var argv = args.Split('|').Select(a => a.Replace("DRIVE", Two.Drive)).Append("--quiet");

        var (exit, output) = NodeCli.Finish(NodeCli.Start(argv));

        Assert.Equal(2, exit);
        Assert.Contains(expected, output);
        Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Replay_PickAndFilterTogether_ExitsTwoWithOneLine()
    {
        var (exit, output) = NodeCli.Finish(NodeCli.Start(["replay", Two.Drive + "#rear", "--camera", "front", "--quiet"]));

        Assert.Equal(2, exit);
        Assert.Contains("give the cameras one way", output);
        Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Record_DuplicateCameraId_ExitsTwoWithOneLineAndNoFile()
    {
        using var scratch = Two.NewScratch("two-dup");
        var outPath = scratch.File("dup.mcap");

        var (exit, output) = NodeCli.Finish(NodeCli.Start(["record", "--source", $"front={Two.Front}", "--source", $"front={Two.Rear}",
            "--out", outPath, "--quiet"]));

        Assert.Equal(2, exit);
        Assert.Contains("camera id 'front' is given twice", output);
        Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.False(File.Exists(outPath));
    }

    [Fact]
    public void Record_FramesOnlyTwoCameras_EveryCameraItsFrames()
    {
        using var scratch = Two.NewScratch("two-frames");
        var outPath = scratch.File("frames.mcap");

        int exit = NodeCli.Invoke(["record", "--frames-only", "--source", $"front={Two.Front}", "--source", $"rear={Two.Rear}",
            "--out", outPath, "--rate", "max", "--max-frames", "5", "--quiet"]);

        Assert.Equal(0, exit);
        using var reader = DriveReader.Open(outPath);
        Assert.Equal(["front", "rear"], reader.Cameras.Select(c => c.CameraId));
        Assert.All(reader.Cameras, c => Assert.Equal(5, reader.ReadFrames(c.CameraId).Count()));
        Assert.Empty(reader.OutputCameras);
    }
}
