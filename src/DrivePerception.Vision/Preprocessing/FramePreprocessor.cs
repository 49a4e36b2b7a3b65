using DrivePerception.Core.Models;
using DrivePerception.Vision.Inference;
using Microsoft.ML.OnnxRuntime.Tensors;
using OpenCvSharp;

namespace DrivePerception.Vision.Preprocessing;

/// <summary>
/// Turns a BGR frame of any size into a model's input tensor, in place: for the contract's uint8 NHWC input it
/// resizes straight into the tensor's pinned memory through a Mat header (no copy besides the resize itself) and
/// swaps to RGB there if the card asks; for host normalisation (float32 NCHW) it resizes into one reused scratch
/// image and writes (pixel * scale - mean) / std per channel plane through a lookup table. When the tensor is at the
/// frames' size instead (a model that resizes in its graph, opened with ModelSessionOptions.CaptureSize), it only
/// copies the frame's bytes: <see cref="ResizesInGraph"/>.
/// <para>Ownership: the Mat headers and scratch image are this object's, released by <see cref="Dispose"/>; the
/// tensor's memory belongs to its <see cref="ModelSession"/>, which must outlive this object.</para>
/// </summary>
public sealed class FramePreprocessor : IDisposable
{
    private readonly ModelCardInput _spec;
    private readonly PinnedTensor _target;
    // uint8 NHWC: a header over the tensor itself. float32 NCHW: a reused uint8 image the frame is resized into.
    private readonly Mat _resized;
    // The whole-factor INTER_AREA step of a large shrink (see AreaStep); reused, sized by OpenCV on first use.
    private readonly Mat _areaStep = new();
    private readonly float[] _lookup;
    private readonly int[] _sourceChannelOfPlane;
    private bool _disposed;

    /// <summary>A preprocessor writing into a session's input tensor.</summary>
    public FramePreprocessor(ModelSession session)
        : this(session?.Card.Input ?? throw new ArgumentNullException(nameof(session)), session.Input, session.ResizesInGraph)
    {
    }

    /// <summary>
    /// A preprocessor writing into <paramref name="target"/>, which the card's input spec describes; with
    /// <paramref name="resizesInGraph"/> the model resizes in its graph and the tensor (uint8 NHWC) is at the frames' size.
    /// </summary>
    /// <exception cref="ArgumentException">The tensor does not have the shape and type the spec implies.</exception>
    public FramePreprocessor(ModelCardInput spec, PinnedTensor target, bool resizesInGraph = false)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(target);
        _spec = spec;
        _target = target;
        InputSize = new Size(spec.Width, spec.Height);
        bool hostFloat = spec.Dtype == "float32" && spec.Layout == "NCHW" && spec.Normalization.Applied == "host";
        bool graphUint8 = spec.Dtype == "uint8" && spec.Layout == "NHWC";
        if (!hostFloat && !graphUint8)
            throw new ArgumentException($"Input {spec.Dtype} {spec.Layout} (normalization {spec.Normalization.Applied}) is not supported: "
                                        + "use uint8 NHWC (normalised in the graph) or float32 NCHW with host normalisation.", nameof(spec));
        var expectedType = hostFloat ? TensorElementType.Float : TensorElementType.UInt8;
        // Resized in the graph (wrap_models.py --preprocess): the uint8 NHWC tensor is at the frames' size.
        var shape = target.Shape;
        if (resizesInGraph && !(graphUint8 && shape.Length == 4))
            throw new ArgumentException($"Tensor '{target.Name}' cannot take frames resized in the graph: that needs the contract's uint8 NHWC input.", nameof(target));
        FeedSize = resizesInGraph ? new Size((int)shape[2], (int)shape[1]) : new Size(spec.Width, spec.Height);
        ResizesInGraph = resizesInGraph;
        long expectedCount = 3L * FeedSize.Height * FeedSize.Width;
        if (target.ElementType != expectedType || target.ElementCount != expectedCount)
            throw new ArgumentException($"Tensor '{target.Name}' ({target.ElementType}, {target.ElementCount} elements) does not fit input "
                                        + $"{spec.Dtype} 3x{spec.Height}x{spec.Width}: build the preprocessor from the same session's card and input.", nameof(target));

        if (graphUint8)
        {
            _resized = Mat.FromPixelData(FeedSize.Height, FeedSize.Width, MatType.CV_8UC3, target.Address);
            _lookup = [];
            _sourceChannelOfPlane = [];
        }
        else
        {
            _resized = new Mat(spec.Height, spec.Width, MatType.CV_8UC3);
            (_lookup, _sourceChannelOfPlane) = BuildLookup(spec);
        }
    }

    /// <summary>The model's input size (width x height) that frames are resized to (by the host, or in the graph).</summary>
    public Size InputSize { get; }

    /// <summary>The size of what is written into the tensor: <see cref="InputSize"/>, or the frames' size when the graph resizes.</summary>
    public Size FeedSize { get; }

    /// <summary>
    /// Whether the model resizes in its graph: <see cref="Process"/> then copies the frame as it is (it must be
    /// <see cref="FeedSize"/>), swapping to RGB if the card asks.
    /// </summary>
    public bool ResizesInGraph { get; }

    /// <summary>
    /// Resizes <paramref name="frameBgr"/> (8-bit, 3 channels, BGR, any size) into the input tensor, swapping to RGB
    /// and normalising as the card says. Uses <see cref="AreaStep"/> then INTER_LINEAR for a large shrink, else one resize
    /// with <see cref="InterpolationFor"/>. The frame is only read.
    /// </summary>
    /// <exception cref="ArgumentException">The frame is empty or not 8-bit 3-channel; the message says how to convert it.</exception>
    public void Process(Mat frameBgr)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        CheckFrame(frameBgr);
        var frameSize = frameBgr.Size();
        if (ResizesInGraph)
        {
            if (frameSize != FeedSize)
                throw new ArgumentException($"The frame is {frameSize.Width}x{frameSize.Height} but the model was opened to resize {FeedSize.Width}x{FeedSize.Height} "
                                            + "frames in its graph: use --preprocess host for sources whose size differs or changes.", nameof(frameBgr));
            // A copy into the tensor's own memory (the header never reallocates: same size and type).
            frameBgr.CopyTo(_resized);
        }
        else if (AreaStep(frameSize, InputSize) is { } step)
        {
            Cv2.Resize(frameBgr, _areaStep, step, 0, 0, InterpolationFlags.Area);
            Cv2.Resize(_areaStep, _resized, InputSize, 0, 0, InterpolationFlags.Linear);
        }
        else
        {
            Cv2.Resize(frameBgr, _resized, InputSize, 0, 0, InterpolationFor(frameSize, InputSize));
        }
        if (_lookup.Length == 0)
        {
            if (_spec.ChannelOrder == "RGB") Cv2.CvtColor(_resized, _resized, ColorConversionCodes.BGR2RGB);
            // OpenCV reallocates a destination of the wrong size or type; then the model would run on stale input.
            if (_resized.Data != _target.Address)
                throw new InvalidOperationException("The resize wrote outside the input tensor (OpenCV reallocated its destination): this is a bug in FramePreprocessor.");
        }
        else
        {
            Normalise();
        }
    }

    /// <summary>
    /// INTER_AREA when the frame is at least twice the input size along either axis (it averages every source pixel,
    /// where INTER_LINEAR would skip pixels and alias thin lane markings), else INTER_LINEAR.
    /// </summary>
    public static InterpolationFlags InterpolationFor(Size frame, Size input) =>
        frame.Width >= 2 * input.Width || frame.Height >= 2 * input.Height ? InterpolationFlags.Area : InterpolationFlags.Linear;

    /// <summary>
    /// For a shrink that takes INTER_AREA, the size of a first INTER_AREA step by the largest whole factor k (2 or more)
    /// that divides both sides of the frame and keeps it at least the input size, when the linear resize left after it shrinks each axis by less
    /// than 2; else null (one resize). Why: OpenCV's INTER_AREA is fast only for a whole factor (it averages k x k
    /// blocks); a fractional one such as 1280x720 -> 480x360 (2.67) takes its slow general path, which was half of the
    /// node's 1280x720 frame time on the GPU machine. Averaging by k first keeps INTER_AREA's anti-aliasing (thin lane
    /// markings survive) and the linear step below a factor of 2 skips no pixel.
    /// </summary>
    public static Size? AreaStep(Size frame, Size input)
    {
        if (InterpolationFor(frame, input) != InterpolationFlags.Area || input.Width <= 0 || input.Height <= 0) return null;
        // The largest k that divides both sides exactly (else OpenCV falls back to its slow path anyway).
        for (int k = Math.Min(frame.Width / input.Width, frame.Height / input.Height); k >= 2; k--)
        {
            if (frame.Width % k != 0 || frame.Height % k != 0) continue;
            var step = new Size(frame.Width / k, frame.Height / k);
            return step.Width < 2 * input.Width && step.Height < 2 * input.Height ? step : null;
        }
        return null;
    }

    /// <summary>Releases the Mat headers and the scratch image (not the tensor).</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _resized.Dispose();
        _areaStep.Dispose();
    }

    private static void CheckFrame(Mat frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ObjectDisposedException.ThrowIf(frame.IsDisposed, frame);
        if (frame.Empty())
            throw new ArgumentException("The frame is empty (0x0): the source delivered no image; drop it before preprocessing.", nameof(frame));
        var type = frame.Type();
        if (type == MatType.CV_8UC3) return;
        string fix = type.Depth != MatType.CV_8U ? $"convert it to 8 bit first (frame.ConvertTo(frame8, MatType.CV_8UC{type.Channels}, scale))"
            : type.Channels == 1 ? "convert it with Cv2.CvtColor(frame, bgr, ColorConversionCodes.GRAY2BGR)"
            : type.Channels == 4 ? "convert it with Cv2.CvtColor(frame, bgr, ColorConversionCodes.BGRA2BGR)"
            : "give a 3-channel BGR image";
        throw new ArgumentException(
            $"The frame is {type} ({type.Channels} channel(s)) but the preprocessor takes 8-bit BGR frames (CV_8UC3) as OpenCV decodes them: {fix}.",
            nameof(frame));
    }

    /// <summary>
    /// One 256-entry table per output plane: value = (pixel * scale - mean) / std, with mean and std taken for the
    /// plane's colour (they are listed in RGB order), and which BGR channel of the frame feeds each plane.
    /// </summary>
    private static (float[] Lookup, int[] SourceChannel) BuildLookup(ModelCardInput spec)
    {
        var norm = spec.Normalization;
        bool rgb = spec.ChannelOrder == "RGB";
        var lookup = new float[3 * 256];
        var source = new int[3];
        for (int plane = 0; plane < 3; plane++)
        {
            int bgrChannel = rgb ? 2 - plane : plane;
            int rgbIndex = 2 - bgrChannel;
            source[plane] = bgrChannel;
            for (int v = 0; v < 256; v++)
                lookup[plane * 256 + v] = (v * norm.Scale - norm.Mean[rgbIndex]) / norm.Std[rgbIndex];
        }
        return (lookup, source);
    }

    private unsafe void Normalise()
    {
        int height = _spec.Height, width = _spec.Width, planeSize = height * width;
        float* dst = (float*)_target.Address;
        float* dst0 = dst, dst1 = dst + planeSize, dst2 = dst + 2 * planeSize;
        int c0 = _sourceChannelOfPlane[0], c1 = _sourceChannelOfPlane[1], c2 = _sourceChannelOfPlane[2];
        fixed (float* lut = _lookup)
        {
            float* lut0 = lut, lut1 = lut + 256, lut2 = lut + 512;
            for (int y = 0; y < height; y++)
            {
                byte* row = (byte*)_resized.Ptr(y);
                int offset = y * width;
                for (int x = 0; x < width; x++)
                {
                    byte* px = row + 3 * x;
                    dst0[offset + x] = lut0[px[c0]];
                    dst1[offset + x] = lut1[px[c1]];
                    dst2[offset + x] = lut2[px[c2]];
                }
            }
        }
    }
}
