using DrivePerception.Vision.Evaluation;
using OpenCvSharp;

namespace DrivePerception.Node.Evaluation;

/// <summary>
/// `eval lanes --overlays DIR`: one PNG per frame with the true lines (green, 30 px wide as CULane scores them,
/// half transparent) and the published polylines (red, 3 px) drawn on the frame, each line labelled with its slot,
/// so a lane that misses its match can be seen: too short, on the wrong marking, or on no marking at all.
/// </summary>
public static class LaneOverlay
{
    private static readonly Scalar Truth = new(60, 200, 60);
    private static readonly Scalar Predicted = new(40, 40, 230);

    /// <summary>
    /// Creates the overlay folder before any inference, so a folder that cannot be written fails at once with its fix
    /// (<see cref="EvalInputException"/>) instead of after the first frame.
    /// </summary>
    public static void Prepare(string folder)
    {
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new EvalInputException($"--overlays {folder}: cannot create the folder ({e.Message}). Give a writable folder.");
        }
    }

    /// <summary>Writes DIR/NAME.png for one frame (DIR made by <see cref="Prepare"/>); throws IOException when the file cannot be written.</summary>
    public static void Write(string folder, string frameName, Mat image, IReadOnlyList<LanePolyline> truth, IReadOnlyList<LanePolyline> predicted)
    {
        ArgumentNullException.ThrowIfNull(image);
        var truthPoints = truth.Select(l => (l.Slot, Points: Points(l))).ToList();
        var predictedPoints = predicted.Select(l => (l.Slot, Points: Points(l))).ToList();
        using var canvas = image.Clone();
        using (var wide = image.Clone())
        {
            foreach (var (_, points) in truthPoints) Draw(wide, points, Truth, LaneMatcher.CuLaneLineWidth);
            Cv2.AddWeighted(wide, 0.5, canvas, 0.5, 0, canvas);
        }
        foreach (var (_, points) in predictedPoints) Draw(canvas, points, Predicted, 3);
        foreach (var (slot, points) in truthPoints) Label(canvas, slot, points, Truth, above: false);
        foreach (var (slot, points) in predictedPoints) Label(canvas, slot, points, Predicted, above: true);
        string path = Path.Combine(folder, frameName + ".png");
        if (!Cv2.ImWrite(path, canvas))
            throw new IOException($"--overlays: could not write {path} (disk full or folder removed?).");
    }

    private static void Draw(Mat canvas, Point[] points, Scalar colour, int width)
    {
        if (points.Length >= 2) Cv2.Polylines(canvas, [points], isClosed: false, colour, width, LineTypes.AntiAlias);
    }

    private static void Label(Mat canvas, int slot, Point[] points, Scalar colour, bool above)
    {
        if (points.Length == 0) return;
        // The lowest point (nearest the car) is where lines are apart; truth below it, prediction above.
        var anchor = points.MaxBy(p => p.Y);
        var at = new Point(Math.Clamp(anchor.X, 0, canvas.Width - 30), Math.Clamp(anchor.Y + (above ? -20 : 0), 20, canvas.Height - 4));
        Cv2.PutText(canvas, slot.ToString(System.Globalization.CultureInfo.InvariantCulture), at, HersheyFonts.HersheySimplex, 0.8, colour, 2);
    }

    private static Point[] Points(LanePolyline line)
    {
        var points = new Point[line.Points.Length / 2];
        for (int i = 0; i < points.Length; i++) points[i] = new Point((int)MathF.Round(line.Points[2 * i]), (int)MathF.Round(line.Points[2 * i + 1]));
        return points;
    }
}
