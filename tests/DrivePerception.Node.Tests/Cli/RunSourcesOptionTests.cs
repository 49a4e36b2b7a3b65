using DrivePerception.Node.Hosting;
using System.CommandLine;
using DrivePerception.Node.Cli;

namespace DrivePerception.Node.Tests.Cli;

/// <summary>`run`'s --source (repeatable as ID=SOURCE) and --cameras: which node a command line asks for.</summary>
public class RunSourcesOptionTests
{
    private static Node.Options.RunOptions BindWith(string[] args)
    {
        var line = new RunCommandLine();
        var cmd = new Command("run");
        line.AddTo(cmd);
        cmd.Options.Add(line.Cameras);
        var result = cmd.Parse(args);
        Assert.Empty(result.Errors);
        return line.Bind(result);
    }

    [Fact]
    public void Bind_OnePlainSource_SingleCameraPathAsBefore()
    {
        var o = BindWith(["--source", "recordings/cruising.mcap", "--camera-id", "left"]);
        Assert.False(o.IsMultiCamera);
        Assert.Equal("recordings/cruising.mcap", o.Source.Spec);
        Assert.Equal("left", o.Source.CameraId);
    }

    [Fact]
    public void Bind_NoSource_SingleCameraWithTheShippedDrive()
    {
        var o = BindWith([]);
        Assert.False(o.IsMultiCamera);
        Assert.Equal("", o.Source.Spec);
    }

    [Fact]
    public void Bind_RepeatedNamedSources_MultiCameraWithEverySourceKept()
    {
        var o = BindWith(["--source", "front=a.mcap", "-s", "rear=b.mcap"]);
        Assert.True(o.IsMultiCamera);
        Assert.Equal(["front=a.mcap", "rear=b.mcap"], o.Source.Specs);
        Assert.Equal("", o.Source.Spec);
    }

    [Fact]
    public void Bind_CamerasFile_MultiCamera()
    {
        var o = BindWith(["--cameras", "cams.yaml"]);
        Assert.True(o.IsMultiCamera);
        Assert.Equal("cams.yaml", o.Source.CamerasFile);
    }

    [Fact]
    public void Parse_RunAndRecord_OfferCamerasButReplayDoesNot()
    {
        Assert.Contains(RunCommand.Create(FrameSourceRegistry.ForNode()).Options, o => o.Name == "--cameras");
        Assert.Contains(RecordCommand.Create(FrameSourceRegistry.ForNode()).Options, o => o.Name == "--cameras");
        // replay's cameras are the drive's (--camera picks among them).
        Assert.DoesNotContain(ReplayCommand.Create(FrameSourceRegistry.ForNode()).Options, o => o.Name == "--cameras");
    }
}
