using BenchmarkDotNet.Attributes;
using DrivePerception.Vision.Inference;

namespace DrivePerception.Benchmarks.Vision;

/// <summary>
/// One inference of each shipped model on ORT's CPU provider with all cores, input already in the
/// tensor. Baseline: the fp32 fast semantic model; fp16 shows what lower precision does on this CPU
/// (the int8 variants were retired with the run-5 models: they were slower than fp32 here, see models/README.md).
/// </summary>
[MemoryDiagnoser]
public class InferenceBenchmarks
{
    private SemanticSegmenter _fast = null!;
    private SemanticSegmenter _fastFp16 = null!;
    private LaneDetector _lanes = null!;
    private LaneDetector _lanesFp16 = null!;

    [GlobalSetup]
    public void Setup()
    {
        var options = new ModelSessionOptions { Accelerator = Accelerator.Cpu };
        _fast = SemanticSegmenter.Load(BenchmarkAssets.Model("camvid-fast.onnx"), options);
        _fastFp16 = SemanticSegmenter.Load(BenchmarkAssets.Model("camvid-fast.fp16.onnx"), options);
        _lanes = LaneDetector.Load(BenchmarkAssets.Model("culane-lanes.onnx"), options);
        _lanesFp16 = LaneDetector.Load(BenchmarkAssets.Model("culane-lanes.fp16.onnx"), options);
        using var frame = BenchmarkAssets.RoadFrame(480, 360);
        _fast.Preprocess(frame);
        _fastFp16.Preprocess(frame);
        _lanes.Preprocess(frame);
        _lanesFp16.Preprocess(frame);
    }

    // Session.Run directly: the segmenters refuse a second Infer without a new Preprocess.
    [Benchmark(Baseline = true)]
    public void SemanticFastFp32() => _fast.Session.Run();

    [Benchmark]
    public void SemanticFastFp16() => _fastFp16.Session.Run();

    [Benchmark]
    public void Lanes() => _lanes.Session.Run();

    [Benchmark]
    public void LanesFp16() => _lanesFp16.Session.Run();

    [GlobalCleanup]
    public void Cleanup()
    {
        _fast.Dispose();
        _fastFp16.Dispose();
        _lanes.Dispose();
        _lanesFp16.Dispose();
    }
}
