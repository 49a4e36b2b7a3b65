using BenchmarkDotNet.Attributes;
using DrivePerception.Vision.Inference;
using OpenCvSharp;

namespace DrivePerception.Benchmarks.Vision;

/// <summary>
/// Frame to model input (480x360 uint8 NHWC) at the two camera resolutions. Baseline: the obvious way,
/// a resize into a new Mat and a copy into the tensor; the node resizes straight into the pinned tensor.
/// </summary>
[MemoryDiagnoser]
public class PreprocessBenchmarks
{
    private SemanticSegmenter _segmenter = null!;
    private Mat _frame = null!;

    [Params(480, 1280)]
    public int FrameWidth { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _segmenter = SemanticSegmenter.Load(BenchmarkAssets.Model("camvid-fast.onnx"), new ModelSessionOptions { Accelerator = Accelerator.Cpu, WarmupRuns = 1 });
        _frame = BenchmarkAssets.RoadFrame(FrameWidth, FrameWidth == 480 ? 360 : 720);
    }

    [Benchmark(Baseline = true)]
    public void ResizeThenCopy()
    {
        using var resized = new Mat();
        Cv2.Resize(_frame, resized, new Size(_segmenter.InputSize.Width, _segmenter.InputSize.Height));
        resized.AsSpan<byte>().CopyTo(_segmenter.Session.InputBuffer);
    }

    [Benchmark]
    public void IntoPinnedTensor() => _segmenter.Preprocess(_frame);

    [GlobalCleanup]
    public void Cleanup()
    {
        _segmenter.Dispose();
        _frame.Dispose();
    }
}
