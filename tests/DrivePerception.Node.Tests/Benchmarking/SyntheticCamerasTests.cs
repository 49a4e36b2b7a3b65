using DrivePerception.Node.Benchmarking;
using DrivePerception.Node.Tests.EndToEnd;

namespace DrivePerception.Node.Tests.Benchmarking;

/// <summary>Which frame sizes the bench can render: one per calibration/synthetic-WxH.yaml.</summary>
public sealed class SyntheticCamerasTests : IDisposable
{
    private readonly TempFolder _folder = new("bench-calibration");

    /// <summary>A calibration folder holding two sizes (out of order) and files the bench must not take for sizes.</summary>
    public SyntheticCamerasTests()
    {
        foreach (var name in new[] { "synthetic-1280x720.yaml", "synthetic-480x360.yaml", "synthetic-notes.yaml", "front-1920x1080.yaml" })
            File.WriteAllText(_folder.File(name), "%YAML:1.0\n");
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Supported_FolderOfCalibrations_SyntheticSizesSmallestFirst()
    {
        Assert.Equal([new FrameResolution(480, 360), new FrameResolution(1280, 720)], SyntheticCameras.Supported(_folder.Path));
    }

    [Fact]
    public void PathFor_SizeWithCalibration_TheCalibrationFile()
    {
        Assert.Equal(_folder.File("synthetic-1280x720.yaml"), SyntheticCameras.PathFor(new FrameResolution(1280, 720), _folder.Path));
    }

    [Fact]
    public void PathFor_SizeWithoutCalibration_ListsTheSupportedSizesAndTheFix()
    {
        var e = Assert.Throws<BenchInputException>(() => SyntheticCameras.PathFor(new FrameResolution(1920, 1080), _folder.Path));

        Assert.Contains("--resolutions 1920x1080: no synthetic camera of that size (supported: 480x360, 1280x720)", e.Message);
        Assert.Contains("synthetic-1920x1080.yaml", e.Message);
    }

    [Fact]
    public void PathFor_ShippedCalibrations_BothDefaultSizesPresent()
    {
        var shipped = Path.Combine(RepoPaths.Root, "calibration");

        Assert.True(File.Exists(SyntheticCameras.PathFor(new FrameResolution(480, 360), shipped)));
        Assert.True(File.Exists(SyntheticCameras.PathFor(new FrameResolution(1280, 720), shipped)));
    }
}
