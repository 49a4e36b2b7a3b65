using OpenCvSharp;

namespace DrivePerception.Vision.Evaluation;

/// <summary>
/// CULane's lane matching for one frame (Pan et al., SCNN, 2018): each lane is drawn on a frame-size canvas as
/// its polyline with a line <see cref="LineWidth"/> pixels wide (30 in CULane), and a predicted lane matches a
/// true one when the IoU of their drawings is at least <see cref="IoUThreshold"/> (0.5 in CULane).
/// <list type="bullet">
/// <item>Drawing: straight segments between consecutive points (OpenCV <c>line</c>, 8-connected, coordinates
/// kept to 1/16 pixel), clipped to the frame. CULane's own tool first smooths the points with a cubic spline;
/// lanes here are drawn as given, which differs only on strongly curved, sparsely sampled lanes.</item>
/// <item>Matching is one to one and greedy: eligible pairs at or above the threshold are taken in order of
/// falling IoU (ties by prediction, then truth index), skipping any whose prediction or truth is taken.</item>
/// </list>
/// Stateless apart from its settings; safe to share between threads.
/// </summary>
public sealed class LaneMatcher
{
    /// <summary>CULane's drawing width in pixels.</summary>
    public const int CuLaneLineWidth = 30;

    /// <summary>CULane's IoU needed for a match.</summary>
    public const double CuLaneIoUThreshold = 0.5;

    // Drawing coordinates carry this many fractional bits (OpenCV's "shift"), so sub-pixel points are not rounded.
    private const int FractionBits = 4;

    /// <summary>A matcher with CULane's settings unless told otherwise.</summary>
    public LaneMatcher(int lineWidth = CuLaneLineWidth, double iouThreshold = CuLaneIoUThreshold)
    {
        if (lineWidth < 1)
            throw new ArgumentOutOfRangeException(nameof(lineWidth), $"The lane drawing width must be at least 1 pixel (CULane uses {CuLaneLineWidth}), got {lineWidth}.");
        if (!(iouThreshold > 0 && iouThreshold <= 1))
            throw new ArgumentOutOfRangeException(nameof(iouThreshold), $"The match threshold must be an IoU in (0, 1] (CULane uses {CuLaneIoUThreshold}), got {iouThreshold}.");
        LineWidth = lineWidth;
        IoUThreshold = iouThreshold;
    }

    /// <summary>Width in pixels of each lane's drawing.</summary>
    public int LineWidth { get; }

    /// <summary>A pair matches when the IoU of the drawings is at least this.</summary>
    public double IoUThreshold { get; }

    /// <summary>
    /// Draws <paramref name="lane"/> on a new <paramref name="width"/> x <paramref name="height"/> CV_8UC1 canvas:
    /// 1 on the lane, 0 elsewhere. The caller owns (and disposes) the Mat.
    /// </summary>
    /// <exception cref="InvalidDataException">A coordinate is not a finite number.</exception>
    public Mat Draw(LanePolyline lane, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(lane);
        if (width <= 0 || height <= 0)
            throw new ArgumentOutOfRangeException(nameof(width), $"The canvas size must be positive, got {width}x{height}.");
        var canvas = new Mat(height, width, MatType.CV_8UC1, Scalar.All(0));
        try
        {
            int n = lane.PointCount;
            // A lone point is drawn as a dot of the line's width.
            if (n == 1) Cv2.Line(canvas, Fixed(lane.Points, 0), Fixed(lane.Points, 0), Scalar.All(1), LineWidth, LineTypes.Link8, FractionBits);
            for (int i = 0; i + 1 < n; i++)
                Cv2.Line(canvas, Fixed(lane.Points, i), Fixed(lane.Points, i + 1), Scalar.All(1), LineWidth, LineTypes.Link8, FractionBits);
            return canvas;
        }
        catch
        {
            canvas.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The IoU (0..1) of the drawings of every predicted lane (rows) with every true lane (columns) on a
    /// <paramref name="width"/> x <paramref name="height"/> frame. Two empty drawings have IoU 0.
    /// </summary>
    public double[,] DrawingIoUs(IReadOnlyList<LanePolyline> predicted, IReadOnlyList<LanePolyline> truth, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(truth);
        var ious = new double[predicted.Count, truth.Count];
        if (predicted.Count == 0 || truth.Count == 0) return ious;
        // Owned here: one drawing per lane and a scratch canvas for intersections, all disposed on return.
        var drawings = new List<Mat>();
        using var overlap = new Mat();
        try
        {
            foreach (var lane in predicted.Concat(truth)) drawings.Add(Draw(lane, width, height));
            var areas = drawings.Select(d => (long)Cv2.CountNonZero(d)).ToArray();
            for (int p = 0; p < predicted.Count; p++)
                for (int t = 0; t < truth.Count; t++)
                {
                    int ti = predicted.Count + t;
                    Cv2.BitwiseAnd(drawings[p], drawings[ti], overlap);
                    long intersection = Cv2.CountNonZero(overlap);
                    long union = areas[p] + areas[ti] - intersection;
                    ious[p, t] = union == 0 ? 0 : (double)intersection / union;
                }
            return ious;
        }
        finally
        {
            foreach (var d in drawings) d.Dispose();
        }
    }

    /// <summary>
    /// One-to-one greedy matching on an IoU table from <see cref="DrawingIoUs"/>: pairs at or above
    /// <see cref="IoUThreshold"/> for which <paramref name="eligible"/>(prediction, truth) holds (all pairs when
    /// null), best IoU first. Returns the matches in the order they were taken.
    /// </summary>
    public IReadOnlyList<LaneMatch> Match(double[,] ious, Func<int, int, bool>? eligible = null)
    {
        ArgumentNullException.ThrowIfNull(ious);
        int predictions = ious.GetLength(0), truths = ious.GetLength(1);
        var candidates = new List<LaneMatch>();
        for (int p = 0; p < predictions; p++)
            for (int t = 0; t < truths; t++)
                if (ious[p, t] >= IoUThreshold && (eligible is null || eligible(p, t)))
                    candidates.Add(new LaneMatch(p, t, ious[p, t]));
        candidates.Sort((a, b) => b.IoU != a.IoU ? b.IoU.CompareTo(a.IoU)
            : a.Prediction != b.Prediction ? a.Prediction.CompareTo(b.Prediction) : a.Truth.CompareTo(b.Truth));
        var predictionTaken = new bool[predictions];
        var truthTaken = new bool[truths];
        var matches = new List<LaneMatch>();
        foreach (var c in candidates)
        {
            if (predictionTaken[c.Prediction] || truthTaken[c.Truth]) continue;
            predictionTaken[c.Prediction] = truthTaken[c.Truth] = true;
            matches.Add(c);
        }
        return matches;
    }

    private static Point Fixed(float[] points, int index)
    {
        float x = points[2 * index], y = points[2 * index + 1];
        if (!float.IsFinite(x) || !float.IsFinite(y))
            throw new InvalidDataException($"Lane point {index} is ({x}, {y}): lane coordinates must be finite pixel positions.");
        const float scale = 1 << FractionBits;
        // Clamp far-off points (still outside the canvas) so the fixed-point value cannot overflow.
        const float limit = 1 << 20;
        return new Point((int)MathF.Round(Math.Clamp(x, -limit, limit) * scale), (int)MathF.Round(Math.Clamp(y, -limit, limit) * scale));
    }
}
