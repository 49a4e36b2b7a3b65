using BenchmarkDotNet.Attributes;
using DrivePerception.Vision.Inference;

namespace DrivePerception.Benchmarks.Vision;

/// <summary>
/// One inference of each shipped model on ORT's CPU provider with all cores, input already in the
/// tensor. Baseline: the fp32 fast semantic model; fp16 and int8 show what lower precision does on this CPU.
/// </summary>
[MemoryDiagnoser]
public class InferenceBenchmarks
{
    private SemanticSegmenter _fast = null!;
    private SemanticSegmenter _fastFp16 = null!;
    private SemanticSegmenter _fastInt8 = null!;
    private LaneDetector _lanes = null!;
    private LaneDetector _lanesInt8 = null!;

    [GlobalSetup]
    public void Setup()
    {
        var options = new ModelSessionOptions { Accelerator = Accelerator.Cpu };
        _fast = SemanticSegmenter.Load(BenchmarkAssets.Model("camvid-fast.onnx"), options);
        _fastFp16 = SemanticSegmenter.Load(BenchmarkAssets.Model("camvid-fast.fp16.onnx"), options);
        _fastInt8 = SemanticSegmenter.Load(BenchmarkAssets.Model("camvid-fast.int8.onnx"), options);
        _lanes = LaneDetector.Load(BenchmarkAssets.Model("culane-lanes.onnx"), options);
        _lanesInt8 = LaneDetector.Load(BenchmarkAssets.Model("culane-lanes.int8.onnx"), options);
        using var frame = BenchmarkAssets.RoadFrame(480, 360);
        _fast.Preprocess(frame);
        _fastFp16.Preprocess(frame);
        _fastInt8.Preprocess(frame);
        _lanes.Preprocess(frame);
        _lanesInt8.Preprocess(frame);
    }

    // Session.Run directly: the segmenters refuse a second Infer without a new Preprocess.
    [Benchmark(Baseline = true)]
    public void SemanticFastFp32() => _fast.Session.Run();

    [Benchmark]
    public void SemanticFastFp16() => _fastFp16.Session.Run();

    [Benchmark]
    public void SemanticFastInt8() => _fastInt8.Session.Run();

    [Benchmark]
    public void Lanes() => _lanes.Session.Run();

    [Benchmark]
    public void LanesInt8() => _lanesInt8.Session.Run();

    [GlobalCleanup]
    public void Cleanup()
    {
        _fast.Dispose();
        _fastFp16.Dispose();
        _fastInt8.Dispose();
        _lanes.Dispose();
        _lanesInt8.Dispose();
    }
}
