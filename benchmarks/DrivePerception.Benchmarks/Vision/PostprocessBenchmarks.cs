using BenchmarkDotNet.Attributes;
using DrivePerception.Core.Masks;
using DrivePerception.Core.Messages;
using DrivePerception.Vision.Inference;
using DrivePerception.Vision.Postprocessing;
using OpenCvSharp;

namespace DrivePerception.Benchmarks.Vision;

/// <summary>
/// From model outputs to wire-ready results at the two camera resolutions: class map RLE, lane slots,
/// vehicle instances. Baseline: the class map resized to frame size and encoded pixel by pixel; the node
/// encodes straight from the model-size runs.
/// </summary>
[MemoryDiagnoser]
public class PostprocessBenchmarks
{
    private byte[] _classMap = [];
    private byte[] _confidence = [];
    private byte[] _laneMap = [];
    private byte[] _laneConfidence = [];
    private float[] _laneExist = [];
    private int _mw, _mh, _lw, _lh;
    private readonly ClassMapScaler _scaler = new();
    private readonly LaneDecoder _decoder = new();
    private SemanticInstanceExtractor _vehicles = null!;

    [Params(480, 1280)]
    public int FrameWidth { get; set; }

    private int FrameHeight => FrameWidth == 480 ? 360 : 720;

    [GlobalSetup]
    public void Setup()
    {
        var options = new ModelSessionOptions { Accelerator = Accelerator.Cpu, WarmupRuns = 1 };
        using var frame = BenchmarkAssets.RoadFrame(FrameWidth, FrameHeight);
        using (var semantic = SemanticSegmenter.Load(BenchmarkAssets.Model("camvid-fast.onnx"), options))
        {
            semantic.Preprocess(frame);
            semantic.Infer();
            (_mw, _mh) = (semantic.ClassMap.Width, semantic.ClassMap.Height);
            _classMap = semantic.ClassMap.AsSpan<byte>().ToArray();
            _confidence = semantic.Confidence.AsSpan<byte>().ToArray();
            _vehicles = SemanticInstanceExtractor.ForClasses(semantic.Card, ["car"]);
        }
        using var lanes = LaneDetector.Load(BenchmarkAssets.Model("culane-lanes.onnx"), options);
        lanes.Preprocess(frame);
        lanes.Infer();
        (_lw, _lh) = (lanes.LaneMap.Width, lanes.LaneMap.Height);
        _laneMap = lanes.LaneMap.AsSpan<byte>().ToArray();
        _laneConfidence = lanes.Confidence.AsSpan<byte>().ToArray();
        _laneExist = lanes.LaneExist.ToArray();
    }

    [Benchmark(Baseline = true)]
    public LabelRle ClassMapResizeThenEncode()
    {
        using var model = Mat.FromPixelData(_mh, _mw, MatType.CV_8UC1, _classMap);
        using var full = new Mat();
        Cv2.Resize(model, full, new Size(FrameWidth, FrameHeight), 0, 0, InterpolationFlags.Nearest);
        return LabelRle.Encode(full.AsSpan<byte>(), FrameWidth, FrameHeight, FrameWidth);
    }

    [Benchmark]
    public LabelRle ClassMapFromModelRuns() => _scaler.Encode(_classMap, _mw, _mh, FrameWidth, FrameHeight);

    [Benchmark]
    public List<LaneLine> LaneSlots() => _decoder.Decode(_laneMap, _laneConfidence, _lw, _lh, _laneExist, FrameWidth, FrameHeight);

    [Benchmark]
    public List<DetectedInstance> VehicleInstances() => _vehicles.Extract(_classMap, _confidence, _mw, _mh, FrameWidth, FrameHeight);

    [GlobalCleanup]
    public void Cleanup()
    {
        _scaler.Dispose();
        _vehicles.Dispose();
    }
}
