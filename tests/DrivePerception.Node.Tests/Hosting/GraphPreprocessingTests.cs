using DrivePerception.Node.Hosting;
using DrivePerception.Node.Options;
using DrivePerception.Vision.Sources;

namespace DrivePerception.Node.Tests.Hosting;

public sealed class GraphPreprocessingTests : IDisposable
{
    private readonly TempFolder _folder = new("graph-prep");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void PrepModelFor_SiblingExists_TakesIt()
    {
        File.WriteAllText(_folder.File("lanes.prep.onnx"), "");

        Assert.Equal(_folder.File("lanes.prep.onnx"), GraphPreprocessing.PrepModelFor(_folder.File("lanes.onnx"), "--lane-model"));
    }

    [Fact]
    public void PrepModelFor_PrepModelGiven_KeepsIt()
    {
        string given = _folder.File("seg.fp16.prep.onnx");

        Assert.Equal(given, GraphPreprocessing.PrepModelFor(given, "--semantic-model"));
    }

    [Fact]
    public void PrepModelFor_NoModel_StaysEmpty()
    {
        Assert.Equal("", GraphPreprocessing.PrepModelFor("", "--instance-model"));
    }

    [Fact]
    public void PrepModelFor_SiblingMissing_ThrowsNamingTheCommandThatMakesIt()
    {
        string model = _folder.File("seg.fp16.onnx");

        var e = Assert.Throws<FileNotFoundException>(() => GraphPreprocessing.PrepModelFor(model, "--semantic-model"));

        Assert.Contains(_folder.File("seg.fp16.prep.onnx"), e.Message);
        Assert.Contains($"`python3 scripts/gpu/wrap_models.py {model} --preprocess --out {_folder.Path}`", e.Message);
        Assert.Contains("--preprocess host", e.Message);
    }

    [Fact]
    public void UsePrepModels_EveryModelOption_ReplacedAndNoneLeftEmpty()
    {
        foreach (var name in new[] { "seg.prep.onnx", "lanes.prep.onnx" }) File.WriteAllText(_folder.File(name), "");
        var given = new RunOptions { Models = new ModelStageOptions { SemanticModel = _folder.File("seg.onnx"), LaneModel = _folder.File("lanes.onnx"), InstanceModel = "" } };

        var options = GraphPreprocessing.UsePrepModels(given).Models;

        Assert.Equal((_folder.File("seg.prep.onnx"), _folder.File("lanes.prep.onnx"), ""), (options.SemanticModel, options.LaneModel, options.InstanceModel));
    }

    [Fact]
    public void ProbeCaptureSize_ShippedDrive_ItsFrameSize()
    {
        var size = GraphPreprocessing.ProbeCaptureSize(FrameSourceRegistry.ForNode(), Path.Combine(RepoPaths.Root, "recordings", "cruising.mcap"),
            new FrameSourceOptions { RealTime = true }, CancellationToken.None);

        Assert.Equal((480, 360), (size.Width, size.Height));
    }

    [Fact]
    public void ProbeCaptureSize_SourceThatDoesNotDecode_ThrowsWhatTheRunnerRefusesWithExit2()
    {
        string pattern = _folder.File("empty_%04d.png");
        File.WriteAllText(_folder.File("empty_0001.png"), "not a png");

        Assert.Throws<FrameSourceException>(() => GraphPreprocessing.ProbeCaptureSize(FrameSourceRegistry.ForNode(), pattern, new FrameSourceOptions(), CancellationToken.None));
    }
}
