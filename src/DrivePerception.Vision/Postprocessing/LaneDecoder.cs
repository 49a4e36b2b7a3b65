using DrivePerception.Core.Masks;
using DrivePerception.Core.Messages;
using DrivePerception.Vision.Calibration;
using OpenCvSharp;

namespace DrivePerception.Vision.Postprocessing;

/// <summary>
/// Turns a lane model's outputs (docs/MODEL-CONTRACT.md: slot map 0..4 and confidence, uint8 at model size,
/// and lane_exist[4]) into the four <see cref="LaneLine"/> slots of a frame.
/// <list type="bullet">
/// <item>Present: lane_exist above <see cref="LaneDecoderOptions.ExistThreshold"/> and pixels in at least
/// <see cref="LaneDecoderOptions.MinRows"/> model rows.</item>
/// <item>Polyline: for each model row holding the slot, the mean column of its pixels, mapped to the frame
/// with pixel centres aligned (<see cref="NearestResampler"/>: <c>(x + 0.5) * frameW / modelW - 0.5</c>, same
/// for y), ordered top (far) to bottom (near), evenly subsampled to at most
/// <see cref="LaneDecoderOptions.MaxPolylinePoints"/>.</item>
/// <item>Ground polyline: the pixel points through the pixel-to-ground projection when one is given; points
/// on or above the horizon are left out.</item>
/// <item>Mask: the slot's pixels resized to frame size (nearest, same mapping), encoded from the model-size
/// runs by <see cref="ScaledRleEncoder"/> without building the frame-size image.</item>
/// <item>Confidence: lane_exist x mean pixel confidence / 255, also for absent slots (0 when the slot has no
/// pixels), so a planner can see near misses; read <see cref="LaneLine.Present"/> first.</item>
/// </list>
/// Absent slots have an all-zero mask of frame size and empty polylines. Reuses its buffers between frames;
/// not thread-safe (one decoder per pipeline).
/// </summary>
public sealed class LaneDecoder
{
    /// <summary>Slot names by slot number (index 0 is background).</summary>
    public static readonly IReadOnlyList<string> SlotNames = ["background", "second_left", "ego_left", "ego_right", "second_right"];

    private const int Slots = 4;

    private readonly LaneDecoderOptions _options;
    private readonly Func<float, float, (float X, float Y)?>? _pixelToGround;
    private readonly GroundPlaneProjection? _projection;
    private readonly NearestResampler _resampler = new();
    private readonly ScaledRleEncoder _encoder;
    // Per slot (1..4) and model row: sum of columns and pixel count. Index (slot - 1) * height + row.
    private long[] _rowSum = [];
    private int[] _rowCount = [];
    private int[] _rows = [];

    /// <summary>A decoder without ground projection (polyline_m stays empty).</summary>
    public LaneDecoder(LaneDecoderOptions? options = null)
    {
        _options = options ?? new LaneDecoderOptions();
        _options.Validate();
        _encoder = new ScaledRleEncoder(_resampler);
    }

    /// <summary>
    /// A decoder that also maps polylines to the ground through <paramref name="projection"/>. The frames given
    /// to <see cref="Decode"/> must be undistorted and of the calibration's image size.
    /// </summary>
    public LaneDecoder(LaneDecoderOptions? options, GroundPlaneProjection projection) : this(options)
    {
        ArgumentNullException.ThrowIfNull(projection);
        _projection = projection;
        _pixelToGround = (x, y) => projection.TryPixelToGround(new Point2d(x, y), out var g) ? ((float)g.X, (float)g.Y) : null;
    }

    /// <summary>
    /// A decoder with any pixel-to-ground mapping: frame pixel (x, y) to vehicle-frame metres (x forward,
    /// y left), or null for pixels that see no ground.
    /// </summary>
    public LaneDecoder(LaneDecoderOptions? options, Func<float, float, (float X, float Y)?> pixelToGround) : this(options)
    {
        _pixelToGround = pixelToGround ?? throw new ArgumentNullException(nameof(pixelToGround));
    }

    /// <summary>
    /// Decodes one frame. <paramref name="slots"/> and <paramref name="confidence"/> are row-major
    /// <paramref name="modelWidth"/> x <paramref name="modelHeight"/> bytes; <paramref name="laneExist"/> has
    /// four probabilities (slots 1..4). Returns exactly four lines, slots 1..4 in order; the caller owns them.
    /// Throws <see cref="InvalidDataException"/> when the outputs break the model contract.
    /// </summary>
    public List<LaneLine> Decode(ReadOnlySpan<byte> slots, ReadOnlySpan<byte> confidence, int modelWidth, int modelHeight,
        ReadOnlySpan<float> laneExist, int frameWidth, int frameHeight)
    {
        _resampler.Configure(modelWidth, modelHeight, frameWidth, frameHeight);
        int pixels = modelWidth * modelHeight;
        if (slots.Length != pixels || confidence.Length != pixels)
            throw new InvalidDataException($"Lane outputs do not match the model size {modelWidth}x{modelHeight}: slot map has {slots.Length} values, confidence {confidence.Length}, expected {pixels} each (docs/MODEL-CONTRACT.md).");
        if (laneExist.Length != Slots)
            throw new InvalidDataException($"lane_exist has {laneExist.Length} values; a lane model gives {Slots}, one per slot (docs/MODEL-CONTRACT.md).");
        if (_projection is not null && (_projection.Geometry.Calibration.ImageSize.Width != frameWidth || _projection.Geometry.Calibration.ImageSize.Height != frameHeight))
            throw new InvalidOperationException($"The calibration is for {_projection.Geometry.Calibration.ImageSize.Width}x{_projection.Geometry.Calibration.ImageSize.Height} images but the frame is {frameWidth}x{frameHeight}: calibrate at the frame size or feed frames of the calibrated size.");

        Span<long> confSum = stackalloc long[Slots + 1];
        Span<int> pixelCount = stackalloc int[Slots + 1];
        Accumulate(slots, confidence, modelWidth, modelHeight, confSum, pixelCount);

        var lines = new List<LaneLine>(Slots);
        for (int slot = 1; slot <= Slots; slot++)
        {
            float meanConf = pixelCount[slot] > 0 ? confSum[slot] / (float)pixelCount[slot] / 255f : 0f;
            float exist = float.IsFinite(laneExist[slot - 1]) ? laneExist[slot - 1] : 0f;
            var line = new LaneLine { Slot = slot, Name = SlotNames[slot], Confidence = exist * meanConf };
            int rowCount = CollectRows(slot, modelHeight);
            line.Present = exist > _options.ExistThreshold && rowCount >= _options.MinRows;
            if (!line.Present)
            {
                line.Mask = new RleMask { Width = frameWidth, Height = frameHeight, Counts = [frameWidth * frameHeight] };
                lines.Add(line);
                continue;
            }
            line.Mask = _encoder.EncodeMask(slots, modelWidth, (byte)slot, PixelBox.Full(frameWidth, frameHeight));
            (line.PolylinePx, line.PolylineGroundM) = Polylines(slot, modelHeight, rowCount);
            lines.Add(line);
        }
        return lines;
    }

    private void Accumulate(ReadOnlySpan<byte> slots, ReadOnlySpan<byte> confidence, int width, int height, Span<long> confSum, Span<int> pixelCount)
    {
        int size = Slots * height;
        if (_rowSum.Length != size)
        {
            _rowSum = new long[size];
            _rowCount = new int[size];
            _rows = new int[height];
        }
        else
        {
            Array.Clear(_rowSum);
            Array.Clear(_rowCount);
        }
        for (int y = 0; y < height; y++)
        {
            var row = slots.Slice(y * width, width);
            var conf = confidence.Slice(y * width, width);
            for (int x = 0; x < width; x++)
            {
                int s = row[x];
                if (s == 0) continue;
                if (s > Slots)
                    throw new InvalidDataException($"The lane slot map holds {s} at ({x}, {y}); lane models give 0 (background) to 4 (docs/MODEL-CONTRACT.md). Check that the lanes output is the slot map, not another tensor.");
                int k = (s - 1) * height + y;
                _rowSum[k] += x;
                _rowCount[k]++;
                confSum[s] += conf[x];
                pixelCount[s]++;
            }
        }
    }

    // Fills _rows with the model rows holding the slot, top to bottom; returns how many.
    private int CollectRows(int slot, int height)
    {
        int n = 0, offset = (slot - 1) * height;
        for (int y = 0; y < height; y++)
            if (_rowCount[offset + y] > 0) _rows[n++] = y;
        return n;
    }

    private (float[] Px, float[] GroundM) Polylines(int slot, int height, int rowCount)
    {
        int points = Math.Min(rowCount, _options.MaxPolylinePoints);
        var px = new float[points * 2];
        var ground = _pixelToGround is null ? null : new List<float>(points * 2);
        int offset = (slot - 1) * height;
        for (int i = 0; i < points; i++)
        {
            int rank = points == rowCount ? i : (int)Math.Round((double)i * (rowCount - 1) / (points - 1));
            int y = _rows[rank];
            float meanX = _rowSum[offset + y] / (float)_rowCount[offset + y];
            float fx = _resampler.TargetX(meanX), fy = _resampler.TargetY(y);
            px[2 * i] = fx;
            px[2 * i + 1] = fy;
            if (ground is not null && _pixelToGround!(fx, fy) is { } g)
            {
                ground.Add(g.X);
                ground.Add(g.Y);
            }
        }
        return (px, ground?.ToArray() ?? []);
    }
}
