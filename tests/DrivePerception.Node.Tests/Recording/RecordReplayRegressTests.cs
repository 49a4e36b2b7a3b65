using DrivePerception.Core.Messages;
using DrivePerception.Core.Topics;
using DrivePerception.Recording.Drives;
using DrivePerception.Recording.Drives.Regression;

namespace DrivePerception.Node.Tests.Recording;

/// <summary>record -> replay -> regress through the real commands, in this process, on the painted clip with the fixture models.</summary>
[Collection(RecordingCollection.Name)]
public sealed class RecordReplayRegressTests(RecordedDrive recorded)
{
    [Fact]
    public void Record_Video_RecordsEveryFrameItsMessagesAndOverlays()
    {
        Assert.Equal(0, recorded.RecordExit);
        using var reader = DriveReader.Open(recorded.Drive);

        var camera = Assert.Single(reader.Cameras);
        var frames = reader.ReadFrames("front").ToList();
        var lanes = reader.ReadMessages<LaneMessage>(TopicRegistry.Lanes).ToList();

        Assert.Equal((15.0, PaletteClip.Width, PaletteClip.Height), (camera.Fps, camera.Width, camera.Height));
        Assert.Equal(RecordedDrive.Frames, frames.Count);
        Assert.Equal(Enumerable.Range(0, RecordedDrive.Frames).Select(i => (long)i), frames.Select(f => f.Sequence));
        // A file source is recorded on its own timeline: frames 1/15 s apart whatever speed the recording ran at.
        Assert.All(frames.Zip(frames.Skip(1)), p => Assert.InRange(p.Second.LogTimeNs - p.First.LogTimeNs, 66_000_000, 67_400_000));
        // Every message sits at its frame's time, which is how replay, regress and Foxglove pair them.
        Assert.Equal(frames.Select(f => f.LogTimeNs), lanes.Select(m => m.LogTimeNs));
        Assert.All(lanes, m => Assert.True(m.Message.Valid, m.Message.Reason));
        Assert.Equal(RecordedDrive.Frames, reader.MessageCount("/perception/vehicles"));
        Assert.Equal(RecordedDrive.Frames, reader.MessageCount("/perception/pedestrians"));
        Assert.Equal(RecordedDrive.Frames, reader.MessageCount(DriveChannels.Overlay));
        Assert.True(reader.MessageCount("/perception/status") >= 1);
    }

    [Fact]
    public void Replay_FastWithOut_GoldenKeepsTheFramesBytesAndTimes()
    {
        Assert.Equal(0, recorded.GoldenExit);
        using var drive = DriveReader.Open(recorded.Drive);
        using var golden = DriveReader.Open(recorded.Golden);

        var original = drive.ReadFrames("front").ToList();
        var replayed = golden.ReadFrames("front").ToList();
        var vehicles = golden.ReadMessages<InstanceMessage>(TopicRegistry.Vehicles).ToList();

        Assert.Equal(original.Select(f => f.LogTimeNs), replayed.Select(f => f.LogTimeNs));
        Assert.All(original.Zip(replayed), p => Assert.Equal(p.First.Image.ToArray(), p.Second.Image.ToArray()));
        Assert.Equal(original.Select(f => f.LogTimeNs), vehicles.Select(v => v.LogTimeNs));
        Assert.Equal(original.Select(f => f.LogTimeNs), vehicles.Select(v => v.Message.Header.SourceTimeNs));
        // The planted regression below needs a car in the golden: the painted car is seen in every frame.
        Assert.All(vehicles, v => Assert.Contains(v.Message.Instances, i => i.ClassName == "car"));
    }

    [Fact]
    public void Regress_AgainstItsOwnGolden_Passes()
    {
        using var scratch = recorded.NewScratch("pass");

        var (exit, report) = NodeCli.Regress(scratch, [recorded.Drive]);

        Assert.True(exit == 0, RegressionTable.Render(report));
        Assert.Equal(RegressionReport.Pass, report.Verdict);
        Assert.Equal(["lanes", "vehicles", "pedestrians"], report.Topics.Select(t => t.Topic));
        var vehicles = report.Topics.Single(t => t.Topic == "vehicles");
        Assert.Equal(RecordedDrive.Frames, vehicles.FramesCompared);
        Assert.Equal(1.0, vehicles.MeanIou);
        Assert.Equal(RecordedDrive.Frames, report.Latency!.Frames);
        Assert.Contains("palette-semantic (semantic, cpu, fp32)", report.GoldenModels);
    }

    [Fact]
    public void Regress_ModelThatNeverPredictsCar_ExitsOneNamingVehicles()
    {
        using var scratch = recorded.NewScratch("nocar");

        var (exit, report) = NodeCli.Regress(scratch, [recorded.Drive], FixtureModels.NodeArgsWith(FixtureModels.SemanticNoCar));

        var table = RegressionTable.Render(report);
        Assert.Equal(1, exit);
        Assert.Equal(RegressionReport.Regression, report.Verdict);
        Assert.All(report.Failures, f => Assert.StartsWith("vehicles:", f));
        Assert.Contains(report.Failures, f => f.Contains("mean mask IoU 0.000"));
        Assert.Equal(RecordedDrive.Frames, report.Topics.Single(t => t.Topic == "vehicles").CountMismatches);
        Assert.True(report.Topics.Single(t => t.Topic == "lanes").Passed);
        Assert.Matches(@"vehicles\s+16\s.*REGRESSION", table);
        Assert.Contains("palette-semantic-nocar", string.Join(",", report.ReplayModels));
    }

    [Fact]
    public void Regress_LatencyBudgetTooSmall_ExitsOneOnLatency()
    {
        using var scratch = recorded.NewScratch("latency");
        var tolerances = scratch.File("t.json");
        File.WriteAllText(tolerances, """{ "latency_p99_budget_ms": 0.000001 }""");

        var (exit, report) = NodeCli.Regress(scratch, [recorded.Drive, "--tolerances", tolerances]);

        Assert.Equal(1, exit);
        var failure = Assert.Single(report.Failures);
        Assert.StartsWith("latency: end-to-end p99", failure);
        Assert.True(report.Latency!.P99Ratio > 1);
    }

    [Fact]
    public void Regress_NoGolden_ExitsTwoWithTheCommandThatMakesOne()
    {
        using var scratch = recorded.NewScratch("nogolden");
        var lone = scratch.File("lone.mcap");
        File.Copy(recorded.Drive, lone);

        int exit = NodeCli.Invoke(["regress", lone, .. FixtureModels.NodeArgs]);

        Assert.Equal(2, exit);
    }

    [Theory]
    [InlineData("""{ "mask_iou": 0.9 }""")]
    [InlineData("""{ "mask_iou_mean_min": 2 }""")]
    public void Regress_BadTolerances_ExitsTwo(string json)
    {
        using var scratch = recorded.NewScratch("badtol");
        var tolerances = scratch.File("t.json");
        File.WriteAllText(tolerances, json);

        Assert.Equal(2, NodeCli.Invoke(["regress", recorded.Drive, "--tolerances", tolerances, .. FixtureModels.NodeArgs]));
    }

    [Fact]
    public void Regress_ShardOnOneFile_ExitsTwo()
    {
        Assert.Equal(2, NodeCli.Invoke(["regress", recorded.Drive, "--shard", "0/2", .. FixtureModels.NodeArgs]));
    }

    [Fact]
    public void Regress_FolderWithoutReportDir_ExitsTwo()
    {
        Assert.Equal(2, NodeCli.Invoke(["regress", Path.GetDirectoryName(recorded.Drive)!, .. FixtureModels.NodeArgs]));
    }

    [Fact]
    public void Record_OutExists_RefusedWithExitTwo()
    {
        Assert.Equal(2, NodeCli.Invoke(["record", "--source", recorded.Video, "--out", recorded.Drive, "--frames-only"]));
        Assert.True(File.Exists(recorded.Drive));
    }

    [Fact]
    public void Replay_WithSource_RefusedWithExitTwo()
    {
        Assert.Equal(2, NodeCli.Invoke(["replay", recorded.Drive, "--source", recorded.Video, .. FixtureModels.NodeArgs]));
    }

    [Fact]
    public void Record_FramesOnly_NeedsNoModelAndRecordsOnlyFrames()
    {
        using var scratch = recorded.NewScratch("framesonly");
        var path = scratch.File("frames.mcap");

        int exit = NodeCli.Invoke(["record", "--source", recorded.Video, "--out", path, "--frames-only", "--rate", "max",
            "--semantic-model", scratch.File("absent.onnx"), "--max-frames", "10", "--jpeg-quality", "70", "--quiet"]);

        Assert.Equal(0, exit);
        using var reader = DriveReader.Open(path);
        Assert.Equal(["/camera/front/image"], reader.Channels.Select(c => c.Topic));
        Assert.Equal(10, reader.ReadFrames("front").Count());
    }
}
