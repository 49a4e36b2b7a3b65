using BenchmarkDotNet.Attributes;
using DrivePerception.Core.Messages;
using DrivePerception.Node.Benchmarking;
using DrivePerception.Synthetic;
using DrivePerception.Vision.Calibration;
using DrivePerception.Vision.Inference;
using DrivePerception.Vision.Postprocessing;

namespace DrivePerception.Benchmarks.Vision;

/// <summary>
/// Vehicle and pedestrian instances from one frame of the shipped panoptic model (models/camvid-panoptic.onnx) on
/// the synthetic 'cruising' drive (frame 40: several cars and pedestrians in view), its outputs already at model size: the centre-offset grouping the node runs for a panoptic model against the
/// connected components of the same class map (the node's default instance source, the baseline). Both end with
/// wire-ready instances (RLE masks cropped to their boxes) at the frame size.
/// </summary>
[MemoryDiagnoser]
public class InstanceGroupingBenchmarks
{
    private byte[] _classMap = [];
    private byte[] _confidence = [];
    private float[] _centre = [];
    private float[] _offset = [];
    private int _mw, _mh, _stride;
    private CentreOffsetDecoder _grouping = null!;
    private SemanticInstanceExtractor _vehicles = null!;
    private SemanticInstanceExtractor _pedestrians = null!;

    [Params(480, 1280)]
    public int FrameWidth { get; set; }

    private int FrameHeight => FrameWidth == 480 ? 360 : 720;

    [GlobalSetup]
    public void Setup()
    {
        var options = new ModelSessionOptions { Accelerator = Accelerator.Cpu, WarmupRuns = 1 };
        string path = BenchmarkAssets.Model("camvid-panoptic.onnx");
        string calibration = Path.Combine(BenchmarkAssets.Root, "calibration", $"synthetic-{FrameWidth}x{FrameHeight}.yaml");
        using var frames = RenderedCameraFrames.Render(SyntheticScenario.Cruising, CameraCalibration.Load(calibration), seed: 1, count: 41, CancellationToken.None);
        using var panoptic = PanopticSegmenter.Load(path, options);
        panoptic.Preprocess(frames[40]);
        panoptic.Infer();
        var outputs = panoptic.Outputs;
        (_classMap, _confidence, _centre, _offset) = (outputs.ClassMap.ToArray(), outputs.Confidence.ToArray(), outputs.Centre.ToArray(), outputs.Offset.ToArray());
        (_mw, _mh, _stride) = (outputs.Width, outputs.Height, outputs.Stride);
        _grouping = CentreOffsetDecoder.ForCard(panoptic.Card, path);
        _vehicles = SemanticInstanceExtractor.ForClasses(panoptic.Card, ["car"]);
        _pedestrians = SemanticInstanceExtractor.ForClasses(panoptic.Card, ["pedestrian", "bicyclist"]);
        Console.WriteLine($"// {FrameWidth}x{FrameHeight}: grouping {CentreOffsetGrouping().Count} instances, components {ConnectedComponents()}");
    }

    [Benchmark(Baseline = true)]
    public int ConnectedComponents() =>
        _vehicles.Extract(_classMap, _confidence, _mw, _mh, FrameWidth, FrameHeight).Count
        + _pedestrians.Extract(_classMap, _confidence, _mw, _mh, FrameWidth, FrameHeight).Count;

    [Benchmark]
    public List<DetectedInstance> CentreOffsetGrouping() =>
        _grouping.Decode(new CentreOffsetOutputs(_classMap, _confidence, _centre, _offset, _mw, _mh, _stride), FrameWidth, FrameHeight);

    [GlobalCleanup]
    public void Cleanup()
    {
        _vehicles.Dispose();
        _pedestrians.Dispose();
    }
}
