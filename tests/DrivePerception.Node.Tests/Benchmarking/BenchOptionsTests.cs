using DrivePerception.Node.Benchmarking;
using DrivePerception.Node.Tests.EndToEnd;

namespace DrivePerception.Node.Tests.Benchmarking;

/// <summary>Checks made before anything is rendered or loaded, and the thread split across cameras.</summary>
public class BenchOptionsTests
{
    private static BenchOptions Options(string? semantic = null, string lane = "", int frames = 1, int cores = 2, IReadOnlyList<int>? cameras = null) => new()
    {
        SemanticModel = semantic ?? RepoPaths.SemanticModel,
        LaneModel = lane,
        Frames = frames,
        Cores = cores,
        CameraCounts = cameras ?? [1],
        Resolutions = [new FrameResolution(480, 360)],
        CalibrationFolder = Path.Combine(RepoPaths.Root, "calibration"),
    };

    [Fact]
    public void Validate_FixtureModels_Passes()
    {
        Options(lane: RepoPaths.LaneModel).Validate();
    }

    [Fact]
    public void Validate_MissingSemanticModel_NamesOptionPathAndExample()
    {
        var e = Assert.Throws<BenchInputException>(() => Options(semantic: "/nowhere/model.onnx").Validate());

        Assert.StartsWith("--semantic-model /nowhere/model.onnx does not exist", e.Message);
        Assert.Contains("models/camvid-fast.onnx", e.Message);
    }

    [Fact]
    public void Validate_MissingLaneModel_SaysNoneIsAllowed()
    {
        var e = Assert.Throws<BenchInputException>(() => Options(lane: "/nowhere/lanes.onnx").Validate());

        Assert.Contains("--lane-model /nowhere/lanes.onnx does not exist", e.Message);
        Assert.Contains("'none'", e.Message);
    }

    [Fact]
    public void Validate_ZeroFrames_SameMessageAsTheCommandLine()
    {
        var e = Assert.Throws<BenchInputException>(() => Options(frames: 0).Validate());

        Assert.Equal(BenchArguments.FramesError(0), e.Message);
    }

    [Fact]
    public void Validate_TooManyCameras_NamesTheRange()
    {
        var e = Assert.Throws<BenchInputException>(() => Options(cameras: [1, 65]).Validate());

        Assert.Contains("1..64", e.Message);
    }

    [Theory]
    [InlineData(2, 1, 2)]
    [InlineData(2, 2, 1)]
    [InlineData(2, 8, 1)]
    [InlineData(16, 4, 4)]
    [InlineData(16, 3, 5)]
    public void IntraOpThreadsFor_Cameras_CoresSplitAtLeastOne(int cores, int cameras, int expected)
    {
        Assert.Equal(expected, Options(cores: cores).IntraOpThreadsFor(cameras));
    }
}
