using DrivePerception.Core.Models;
using DrivePerception.Node.Recording;
using DrivePerception.Vision.Inference;
using DrivePerception.Vision.Logging;
using DrivePerception.Vision.Perception;
using DrivePerception.Vision.Sources;
using Microsoft.Extensions.Logging.Abstractions;
using OpenCvSharp;
using Xunit.Abstractions;

namespace DrivePerception.Node.Tests.Inference;

/// <summary>
/// The GPU path's model variants and batching (docs/GPU.md), checked on the CPU provider with the shipped models on
/// the shipped drives: preprocessing in the graph (scripts/gpu/wrap_models.py --preprocess) against the host's resize,
/// the fp16 conversion against fp32, fp16 on the CPU loading its fp32 sibling, and cameras batched in turn against
/// each camera's own stack. The agreement figures are written to the test output.
/// </summary>
public sealed class GpuPathOnCpuTests(WrappedModels models, ITestOutputHelper output) : IClassFixture<WrappedModels>
{
    private static readonly string[] Drives = ["cruising", "lane-change", "pedestrian-crossing"];

    private static ModelSessionOptions Options(Size? capture = null, CameraBatch? batch = null) =>
        new() { Accelerator = Accelerator.Cpu, IntraOpThreads = 2, WarmupRuns = 1, CaptureSize = capture, CameraBatch = batch };

    /// <summary>Frames 0, 12 and 24 of a shipped drive, resized to <paramref name="size"/> when given (the capture sizes tested).</summary>
    private static List<Mat> DriveFrames(string drive, Size? size = null)
    {
        var frames = new List<Mat>();
        using var source = McapFrameSource.Open(Path.Combine(RepoPaths.Root, "recordings", drive + ".mcap"), new FrameSourceOptions());
        for (int i = 0; i <= 24; i++)
        {
            var read = source.Read(CancellationToken.None);
            if (read.Status != FrameReadStatus.Frame) break;
            if (i % 12 != 0 || size is not { } s || read.Frame!.Size() == s)
            {
                if (i % 12 == 0) frames.Add(read.Frame!);
                else read.Frame!.Dispose();
                continue;
            }
            var resized = new Mat();
            Cv2.Resize(read.Frame!, resized, s, 0, 0, InterpolationFlags.Linear);
            read.Frame!.Dispose();
            frames.Add(resized);
        }
        Assert.Equal(3, frames.Count);
        return frames;
    }

    private static (long Same, long Total) Agreement(Mat a, Mat b)
    {
        Assert.Equal(a.Size(), b.Size());
        var x = a.AsSpan<byte>();
        var y = b.AsSpan<byte>();
        long same = 0;
        for (int i = 0; i < x.Length; i++) if (x[i] == y[i]) same++;
        return (same, x.Length);
    }

    [Theory]
    [InlineData(480, 360)]
    [InlineData(1280, 720)]
    public void Preprocess_GraphResizeOnShippedDrives_MapsAgreeWithTheHostResize(int width, int height)
    {
        var size = new Size(width, height);
        using var hostSemantic = PanopticSegmenter.Load(WrappedModels.Shipped("camvid-panoptic"), Options());
        using var graphSemantic = PanopticSegmenter.Load(models.Wrapped("camvid-panoptic.prep"), Options(size));
        using var hostLanes = LaneDetector.Load(WrappedModels.Shipped("culane-lanes"), Options());
        using var graphLanes = LaneDetector.Load(models.Wrapped("culane-lanes.prep"), Options(size));
        long classSame = 0, classTotal = 0, laneSame = 0, laneTotal = 0;
        foreach (var drive in Drives)
        {
            foreach (var frame in DriveFrames(drive, size))
            {
                using var _ = frame;
                hostSemantic.Preprocess(frame);
                hostSemantic.Infer();
                graphSemantic.Preprocess(frame);
                graphSemantic.Infer();
                var (s, t) = Agreement(hostSemantic.ClassMap, graphSemantic.ClassMap);
                classSame += s; classTotal += t;
                hostLanes.Preprocess(frame);
                hostLanes.Infer();
                graphLanes.Preprocess(frame);
                graphLanes.Infer();
                (s, t) = Agreement(hostLanes.LaneMap, graphLanes.LaneMap);
                laneSame += s; laneTotal += t;
            }
        }
        double classAgree = (double)classSame / classTotal, laneAgree = (double)laneSame / laneTotal;
        output.WriteLine($"{width}x{height}, 9 frames of 3 drives: class map {classAgree:P3} of pixels equal, lane map {laneAgree:P3}");
        Assert.True(classAgree >= 0.99, $"class maps agree on {classAgree:P3} of pixels, below 99 %");
        Assert.True(laneAgree >= 0.99, $"lane maps agree on {laneAgree:P3} of pixels, below 99 %");
    }

    [Fact]
    public void Preprocess_GraphResizeAtTheModelsOwnSize_SameClassMapAndConfidenceWithinOne()
    {
        // 480x360 is camvid-panoptic's own size: both resizes of the front end are the identity, as the host's copy is.
        // The network sees the same bytes; ONNX Runtime optimises the two graphs apart (a float sum in another order),
        // which moved one confidence by 1/255 in the run that set this tolerance.
        var size = new Size(480, 360);
        using var host = PanopticSegmenter.Load(WrappedModels.Shipped("camvid-panoptic"), Options());
        using var graph = PanopticSegmenter.Load(models.Wrapped("camvid-panoptic.prep"), Options(size));
        using var frame = DriveFrames("cruising", size)[1];
        host.Preprocess(frame);
        host.Infer();
        graph.Preprocess(frame);
        graph.Infer();
        Assert.Equal(host.ClassMap.AsSpan<byte>().ToArray(), graph.ClassMap.AsSpan<byte>().ToArray());
        var a = host.Confidence.AsSpan<byte>().ToArray();
        var b = graph.Confidence.AsSpan<byte>().ToArray();
        Assert.InRange(a.Zip(b, (x, y) => Math.Abs(x - y)).Max(), 0, 1);
    }

    [Fact]
    public void Preprocess_GraphModelFedAFrameOfAnotherSize_ThrowsNamingHostPreprocessing()
    {
        using var graph = PanopticSegmenter.Load(models.Wrapped("camvid-panoptic.prep"), Options(new Size(1280, 720)));
        using var frame = new Mat(360, 480, MatType.CV_8UC3, Scalar.All(90));
        var e = Assert.Throws<ArgumentException>(() => graph.Preprocess(frame));
        Assert.Contains("--preprocess host", e.Message);
    }

    [Fact]
    public void Load_GraphPreprocessingWithAModelThatTakesOnlyItsOwnSize_ThrowsNamingTheWrapTool()
    {
        var e = Assert.Throws<ModelCardException>(() => PanopticSegmenter.Load(WrappedModels.Shipped("camvid-panoptic"), Options(new Size(1280, 720))));
        Assert.Contains("wrap_models.py", e.Message);
    }

    [Fact]
    public void Load_Fp16ConversionAloneOnTheCpu_RunsAndAgreesWithFp32()
    {
        // Alone in its folder (no fp32 sibling), the fp16 file runs on the CPU through ONNX Runtime's casts: the load
        // check of the conversion (graph valid, uint8/float32 outputs kept) and its agreement with fp32.
        using var folder = new TempFolder("fp16");
        string fp16 = models.CopyAlone("camvid-panoptic.fp16", folder.Path);
        var log = new LineListLogger();
        using var half = PanopticSegmenter.Load(fp16, Options(), log);
        using var full = PanopticSegmenter.Load(WrappedModels.Shipped("camvid-panoptic"), Options());
        Assert.Equal("fp16", half.Card.Precision);
        Assert.Contains(log, l => l.Contains("through ONNX Runtime's casts"));
        long same = 0, total = 0;
        float centreDiff = 0;
        foreach (var frame in DriveFrames("pedestrian-crossing"))
        {
            using var _ = frame;
            half.Preprocess(frame);
            half.Infer();
            full.Preprocess(frame);
            full.Infer();
            var (s, t) = Agreement(half.ClassMap, full.ClassMap);
            same += s; total += t;
            var a = half.Outputs.Centre;
            var b = full.Outputs.Centre;
            for (int i = 0; i < a.Length; i++) centreDiff = Math.Max(centreDiff, Math.Abs(a[i] - b[i]));
        }
        double agree = (double)same / total;
        output.WriteLine($"camvid-panoptic fp16 conversion vs fp32 on the CPU, 3 frames: class map {agree:P3} equal, centre heatmap max |diff| {centreDiff:G3}");
        Assert.True(agree >= 0.99, $"fp16 class maps agree with fp32 on {agree:P3} of pixels, below 99 %");
        Assert.True(centreDiff < 0.05f, $"fp16 centre heatmap differs from fp32 by up to {centreDiff}");
    }

    [Fact]
    public void Load_Fp16WithItsFp32SiblingOnTheCpu_LoadsTheFp32FileAndSaysSo()
    {
        // The shipped camvid-fast.fp16.onnx has camvid-fast.onnx beside it.
        var log = new LineListLogger();
        using var model = SemanticSegmenter.Load(Path.Combine(RepoPaths.Root, "models", "camvid-fast.fp16.onnx"), Options(), log);
        Assert.Equal("fp32", model.Card.Precision);
        Assert.Equal("camvid-fast.onnx", Path.GetFileName(model.Session.ModelPath));
        Assert.Contains(log, l => l.Contains("loading the fp32 camvid-fast.onnx instead"));
    }

    [Fact]
    public void Load_Fp16WithItsSiblingAndFp32OnCpuOff_RunsTheFp16File()
    {
        // What eval does: it scores the file it was given.
        var options = Options();
        options.Fp32OnCpu = false;
        using var model = SemanticSegmenter.Load(Path.Combine(RepoPaths.Root, "models", "camvid-fast.fp16.onnx"), options);
        Assert.Equal("fp16", model.Card.Precision);
        Assert.Equal("camvid-fast.fp16.onnx", Path.GetFileName(model.Session.ModelPath));
    }

    [Fact]
    public void Infer_ThreeDrivesBatchedInTurn_EqualEachCamerasOwnStack()
    {
        // Three cameras (three drives) served by one thread: their stacks share one session per model at batch 3.
        const int cameras = 3;
        var frames = Drives.Select(d => DriveFrames(d)).ToList();
        using var batch = new CameraBatch(cameras, inTurn: true);
        var batched = new List<PerceptionStack>();
        var own = new List<PerceptionStack>();
        try
        {
            for (int c = 0; c < cameras; c++)
            {
                batched.Add(Load(Options(batch: batch)));
                own.Add(Load(Options()));
            }
            batch.Arm(CancellationToken.None);
            long same = 0, total = 0;
            for (int f = 0; f < 3; f++)
            {
                batch.StartRound();
                for (int c = 0; c < cameras; c++) batched[c].Preprocess(frames[c][f]);
                for (int c = 0; c < cameras; c++) batched[c].Infer();
                for (int c = 0; c < cameras; c++)
                {
                    var frame = frames[c][f];
                    var b = batched[c].Postprocess(frame.Width, frame.Height, f);
                    own[c].Preprocess(frame);
                    own[c].Infer();
                    var o = own[c].Postprocess(frame.Width, frame.Height, f);
                    Assert.Equal(o.Lanes?.Count, b.Lanes?.Count);
                    Assert.Equal(o.Vehicles.Count, b.Vehicles.Count);
                    Assert.Equal(o.Pedestrians.Count, b.Pedestrians.Count);
                    byte[] x = o.ClassMap!.Decode(), y = b.ClassMap!.Decode();
                    Assert.Equal(x.Length, y.Length);
                    for (int i = 0; i < x.Length; i++) if (x[i] == y[i]) same++;
                    total += x.Length;
                }
            }
            double agree = (double)same / total;
            output.WriteLine($"3 drives batched in turn vs per camera, 3 rounds: class maps {agree:P4} equal");
            Assert.True(agree >= 0.999, $"batched class maps agree with per-camera ones on {agree:P4} of pixels");
        }
        finally
        {
            batched.ForEach(s => s.Dispose());
            own.ForEach(s => s.Dispose());
            frames.SelectMany(f => f).ToList().ForEach(m => m.Dispose());
        }
    }

    private static PerceptionStack Load(ModelSessionOptions options) => PerceptionStack.Load(WrappedModels.Shipped("camvid-panoptic"),
        WrappedModels.Shipped("culane-lanes"), options, calibrationPath: "", undistort: false, produceClassMap: true, NullLogger.Instance);
}
