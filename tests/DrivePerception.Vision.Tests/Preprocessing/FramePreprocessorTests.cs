using DrivePerception.Core.Models;
using DrivePerception.Vision.Inference;
using DrivePerception.Vision.Preprocessing;
using Microsoft.ML.OnnxRuntime.Tensors;
using OpenCvSharp;

namespace DrivePerception.Vision.Tests.Preprocessing;

public class FramePreprocessorTests
{
    private const int Height = 24, Width = 32;

    private static ModelCardInput Spec(string dtype = "uint8", string layout = "NHWC", string order = "BGR", string applied = "in_graph") => new()
    {
        Name = "image", Dtype = dtype, Layout = layout, ChannelOrder = order, Height = Height, Width = Width,
        Normalization = new ModelCardNormalization { Applied = applied },
    };

    private static PinnedTensor Uint8Tensor() => PinnedTensor.Allocate("image", TensorElementType.UInt8, [1, Height, Width, 3]);
    private static PinnedTensor FloatTensor() => PinnedTensor.Allocate("image", TensorElementType.Float, [1, 3, Height, Width]);

    /// <summary>A frame whose every pixel differs: B = x, G = y, R = x + y (scaled to the frame).</summary>
    private static Mat Gradient(int height, int width)
    {
        var frame = new Mat(height, width, MatType.CV_8UC3);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                frame.Set(y, x, new Vec3b((byte)(x * 255 / width), (byte)(y * 255 / height), (byte)((x + y) * 127 / (width + height))));
        return frame;
    }

    [Fact]
    public void Process_FrameAtInputSize_CopiesBgrBytesUnchanged()
    {
        using var tensor = Uint8Tensor();
        using var preprocessor = new FramePreprocessor(Spec(), tensor);
        using var frame = Gradient(Height, Width);

        preprocessor.Process(frame);

        Assert.True(frame.IsContinuous());
        Assert.Equal(frame.AsSpan<byte>().ToArray(), tensor.Bytes.ToArray());
    }

    [Theory]
    [InlineData(240, 320, InterpolationFlags.Area)]
    [InlineData(36, 48, InterpolationFlags.Linear)]
    [InlineData(12, 16, InterpolationFlags.Linear)]
    public void Process_OtherSize_MatchesOpenCvResizeIntoTensor(int height, int width, InterpolationFlags interpolation)
    {
        using var tensor = Uint8Tensor();
        using var preprocessor = new FramePreprocessor(Spec(), tensor);
        using var frame = Gradient(height, width);
        using var expected = new Mat();
        Cv2.Resize(frame, expected, new Size(Width, Height), 0, 0, interpolation);

        preprocessor.Process(frame);

        Assert.Equal(interpolation, FramePreprocessor.InterpolationFor(frame.Size(), preprocessor.InputSize));
        Assert.Equal(expected.AsSpan<byte>().ToArray(), tensor.Bytes.ToArray());
    }

    [Fact]
    public void Process_RoiFrame_ReadsOnlyTheRoi()
    {
        using var tensor = Uint8Tensor();
        using var preprocessor = new FramePreprocessor(Spec(), tensor);
        using var big = new Mat(100, 100, MatType.CV_8UC3, Scalar.Black);
        big[new Rect(10, 10, Width, Height)].SetTo(new Scalar(1, 2, 3));
        using var roi = big[new Rect(10, 10, Width, Height)];

        preprocessor.Process(roi);

        Assert.Equal([1, 2, 3], tensor.Bytes[..3].ToArray());
        Assert.Equal([1, 2, 3], tensor.Bytes[^3..].ToArray());
    }

    [Fact]
    public void Process_RgbCard_SwapsChannelsInPlace()
    {
        using var tensor = Uint8Tensor();
        using var preprocessor = new FramePreprocessor(Spec(order: "RGB"), tensor);
        using var frame = new Mat(Height, Width, MatType.CV_8UC3, new Scalar(10, 20, 30));

        preprocessor.Process(frame);

        Assert.Equal([30, 20, 10], tensor.Bytes[..3].ToArray());
        Assert.Equal([30, 20, 10], tensor.Bytes[^3..].ToArray());
    }

    [Theory]
    [InlineData("RGB")]
    [InlineData("BGR")]
    public void Process_HostNormalisation_WritesNormalisedPlanes(string order)
    {
        using var tensor = FloatTensor();
        var spec = Spec("float32", "NCHW", order, "host");
        using var preprocessor = new FramePreprocessor(spec, tensor);
        using var frame = Gradient(Height, Width);

        preprocessor.Process(frame);

        var planes = tensor.AsSpan<float>();
        var mean = spec.Normalization.Mean;
        var std = spec.Normalization.Std;
        int planeSize = Height * Width;
        foreach (var (y, x) in new[] { (0, 0), (5, 7), (Height - 1, Width - 1) })
        {
            var bgr = frame.At<Vec3b>(y, x);
            for (int plane = 0; plane < 3; plane++)
            {
                int bgrChannel = order == "RGB" ? 2 - plane : plane;
                int rgbIndex = 2 - bgrChannel;
                float expected = (bgr[bgrChannel] / 255f - mean[rgbIndex]) / std[rgbIndex];
                Assert.Equal(expected, planes[plane * planeSize + y * Width + x], 5);
            }
        }
    }

    [Theory]
    [InlineData(1, "GRAY2BGR")]
    [InlineData(4, "BGRA2BGR")]
    [InlineData(2, "give a 3-channel BGR image")]
    public void Process_WrongChannelCount_ThrowsWithConversion(int channels, string fix)
    {
        using var tensor = Uint8Tensor();
        using var preprocessor = new FramePreprocessor(Spec(), tensor);
        using var frame = new Mat(Height, Width, MatType.MakeType(MatType.CV_8U, channels), Scalar.All(0));

        var e = Assert.Throws<ArgumentException>(() => preprocessor.Process(frame));
        Assert.Contains($"({channels} channel(s)) but the preprocessor takes 8-bit BGR frames (CV_8UC3)", e.Message);
        Assert.Contains(fix, e.Message);
    }

    [Fact]
    public void Process_FloatFrame_AsksForEightBit()
    {
        using var tensor = Uint8Tensor();
        using var preprocessor = new FramePreprocessor(Spec(), tensor);
        using var frame = new Mat(Height, Width, MatType.CV_32FC3, Scalar.All(0));

        var e = Assert.Throws<ArgumentException>(() => preprocessor.Process(frame));
        Assert.Contains("convert it to 8 bit first", e.Message);
    }

    [Fact]
    public void Process_EmptyFrame_Throws()
    {
        using var tensor = Uint8Tensor();
        using var preprocessor = new FramePreprocessor(Spec(), tensor);
        using var frame = new Mat();

        var e = Assert.Throws<ArgumentException>(() => preprocessor.Process(frame));
        Assert.Contains("The frame is empty", e.Message);
    }

    [Fact]
    public void Process_ResizedInTheGraph_CopiesTheFrameAsItIs()
    {
        // A model wrapped by scripts/gpu/wrap_models.py --preprocess: the tensor is at the frames' size (64x48, not 32x24).
        using var tensor = PinnedTensor.Allocate("image", TensorElementType.UInt8, [1, 2 * Height, 2 * Width, 3]);
        using var preprocessor = new FramePreprocessor(Spec(), tensor, resizesInGraph: true);
        using var frame = new Mat(2 * Height, 2 * Width, MatType.CV_8UC3);
        Cv2.Randu(frame, Scalar.All(0), Scalar.All(256));

        preprocessor.Process(frame);

        Assert.True(preprocessor.ResizesInGraph);
        Assert.Equal(new Size(Width, Height), preprocessor.InputSize);
        Assert.Equal(new Size(2 * Width, 2 * Height), preprocessor.FeedSize);
        Assert.Equal(frame.AsSpan<byte>().ToArray(), tensor.Bytes.ToArray());
    }

    [Fact]
    public void Process_ResizedInTheGraphButAFrameOfAnotherSize_ThrowsNamingHostPreprocessing()
    {
        using var tensor = PinnedTensor.Allocate("image", TensorElementType.UInt8, [1, 2 * Height, 2 * Width, 3]);
        using var preprocessor = new FramePreprocessor(Spec(), tensor, resizesInGraph: true);
        using var frame = new Mat(Height, Width, MatType.CV_8UC3, Scalar.All(7));

        var e = Assert.Throws<ArgumentException>(() => preprocessor.Process(frame));
        Assert.Contains("--preprocess host", e.Message);
    }

    [Fact]
    public void Constructor_TensorOfOtherShape_Throws()
    {
        using var tensor = PinnedTensor.Allocate("image", TensorElementType.UInt8, [1, Height, Width + 1, 3]);
        var e = Assert.Throws<ArgumentException>(() => new FramePreprocessor(Spec(), tensor));
        Assert.Contains("does not fit input uint8 3x24x32", e.Message);
    }

    [Fact]
    public void Constructor_UnsupportedLayout_Throws()
    {
        using var tensor = Uint8Tensor();
        var e = Assert.Throws<ArgumentException>(() => new FramePreprocessor(Spec(layout: "NCHW"), tensor));
        Assert.Contains("Input uint8 NCHW (normalization in_graph) is not supported", e.Message);
    }

    [Theory]
    [InlineData(1920, 1080, 480, 360, InterpolationFlags.Area)]
    [InlineData(640, 480, 480, 360, InterpolationFlags.Linear)]
    [InlineData(960, 300, 480, 360, InterpolationFlags.Area)]
    [InlineData(240, 180, 480, 360, InterpolationFlags.Linear)]
    public void InterpolationFor_ShrinkingByTwoOrMore_UsesArea(int fw, int fh, int iw, int ih, InterpolationFlags expected)
    {
        Assert.Equal(expected, FramePreprocessor.InterpolationFor(new Size(fw, fh), new Size(iw, ih)));
    }

    [Theory]
    [InlineData(1280, 720, 480, 360, 640, 360)]   // 2.67x: average 2x2 blocks, then linear by 1.33
    [InlineData(1280, 720, 512, 192, 640, 360)]   // the lane input: k = min(2, 3)
    [InlineData(1640, 590, 512, 192, 820, 295)]   // CULane frames: 3 does not divide 1640, 2 does
    [InlineData(1920, 1080, 480, 360, 640, 360)]  // k = 3
    [InlineData(320, 240, 32, 24, 32, 24)]        // a whole factor: the linear step is a copy
    public void AreaStep_LargeShrink_WholeFactorFirst(int fw, int fh, int iw, int ih, int sw, int sh)
    {
        Assert.Equal(new Size(sw, sh), FramePreprocessor.AreaStep(new Size(fw, fh), new Size(iw, ih)));
    }

    [Theory]
    [InlineData(640, 480, 480, 360)]    // under 2x: one linear resize
    [InlineData(960, 300, 480, 360)]    // 2x wide but taller than the frame: k = 0
    [InlineData(1920, 1080, 960, 180)]  // k = 2 would leave a 3x linear shrink in height: one area resize
    public void AreaStep_NoWholeFactorStep_Null(int fw, int fh, int iw, int ih)
    {
        Assert.Null(FramePreprocessor.AreaStep(new Size(fw, fh), new Size(iw, ih)));
    }

    [Fact]
    public void Process_LargeShrink_AreaByWholeFactorThenLinear_CloseToOneAreaResize()
    {
        const int w = 48, h = 36;   // a 2.67x shrink of 128 x 96, as 1280x720 -> 480x360
        using var tensor = PinnedTensor.Allocate("image", TensorElementType.UInt8, [1, h, w, 3]);
        var spec = Spec();
        spec.Width = w;
        spec.Height = h;
        using var preprocessor = new FramePreprocessor(spec, tensor);
        using var frame = Gradient(96, 128);
        using var step = new Mat();
        using var expected = new Mat();
        Cv2.Resize(frame, step, new Size(64, 48), 0, 0, InterpolationFlags.Area);
        Cv2.Resize(step, expected, new Size(w, h), 0, 0, InterpolationFlags.Linear);
        using var oneArea = new Mat();
        Cv2.Resize(frame, oneArea, new Size(w, h), 0, 0, InterpolationFlags.Area);

        preprocessor.Process(frame);

        var got = tensor.Bytes.ToArray();
        Assert.Equal(expected.AsSpan<byte>().ToArray(), got);
        // Same picture as the single (slow) INTER_AREA resize, up to rounding on a smooth gradient.
        var reference = oneArea.AsSpan<byte>().ToArray();
        double meanAbs = got.Zip(reference, (a, b) => Math.Abs(a - b)).Average();
        Assert.True(meanAbs < 2.0, $"mean absolute difference to one INTER_AREA resize: {meanAbs:F2} grey levels");
    }
}
