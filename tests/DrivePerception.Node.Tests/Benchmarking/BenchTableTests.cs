using DrivePerception.Core.Messages;
using DrivePerception.Node.Benchmarking;
using DrivePerception.Node.Pipeline;

namespace DrivePerception.Node.Tests.Benchmarking;

/// <summary>The table and JSON show only what was measured.</summary>
public class BenchTableTests
{
    private static BenchConfigurationResult Configuration(int frames, int invalid, double fps) => new()
    {
        Resolution = new FrameResolution(480, 360),
        Cameras = 1,
        IntraOpThreads = 2,
        FramesPerCamera = frames + invalid,
        WarmupFrames = 0,
        Accelerators = ["cpu"],
        PerCamera = [new CameraRate(0, 1, frames, invalid, fps)],
        Seconds = 1,
        Latency = BenchConfigurationResult.Quantities.ToDictionary(q => q,
            q => frames == 0 ? new LatencySummary(q, 0, 0, 0, 0, 0) : new LatencySummary(q, frames, 40, 40, 45, 45)),
    };

    private static BenchReport Report(params BenchConfigurationResult[] configurations) => new()
    {
        Date = new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero),
        CommandLine = "drive-perception bench",
        Machine = new MachineFacts("Test CPU", 2, "Linux", ".NET 10", "1.31.1", null),
        AcceleratorRequested = "auto",
        Models = [new ModelStatus { Name = "m", Task = "semantic", Accelerator = "cpu", Precision = "fp32" }],
        ModelPaths = ["/models/m.onnx"],
        ClassMap = false,
        Scenario = "cruising",
        TargetFps = 30,
        Configurations = configurations,
    };

    [Fact]
    public void Format_MeasuredConfiguration_RowWithPercentilesAndVerdict()
    {
        var text = BenchTable.Format(Report(Configuration(frames: 20, invalid: 0, fps: 31.5)));

        Assert.Contains("| 480x360 | 1 | per-camera | 2 | 20 | 20.0 | 31.5 | 40.0 / 45.0 | 40.0 / 45.0 | 40.0 / 45.0 | 40.0 / 45.0 | 40.0 / 45.0 | yes |", text);
        Assert.Contains("| 30 fps per camera |", text);
        Assert.Contains("on cpu; Test CPU, 2 logical cores", text);
    }

    [Fact]
    public void Format_NoFrameComputed_NotApplicableAndNotSustained()
    {
        var result = Configuration(frames: 0, invalid: 3, fps: 30);

        var text = BenchTable.Format(Report(result));
        var json = result.ToJson(30);

        Assert.Contains("| n/a | n/a | n/a | n/a | n/a | no |", text);
        Assert.Contains("3 measured frames were published not valid", text);
        Assert.Null(json["latency_ms"]!["end_to_end"]);
        Assert.False(json["sustains_target_fps"]!.GetValue<bool>());
    }

    [Fact]
    public void Sustains_SlowestCameraBelowTarget_False()
    {
        var result = Configuration(frames: 10, invalid: 0, fps: 29.9);

        Assert.False(result.Sustains(30));
        Assert.True(result.Sustains(29.9));
    }
}
