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

    /// <summary>Writes DIR/NAME.png for one frame; the folder is created when missing.</summary>
    public static void Write(string folder, string frameName, Mat image, IReadOnlyList<LanePolyline> truth, IReadOnlyList<LanePolyline> predicted)
    {
        ArgumentNullException.ThrowIfNull(image);
        Directory.CreateDirectory(folder);
        using var canvas = image.Clone();
        using (var wide = image.Clone())
        {
            foreach (var line in truth) Draw(wide, line, Truth, LaneMatcher.CuLaneLineWidth);
            Cv2.AddWeighted(wide, 0.5, canvas, 0.5, 0, canvas);
        }
        foreach (var line in predicted) Draw(canvas, line, Predicted, 3);
        foreach (var line in truth) Label(canvas, line, Truth, above: false);
        foreach (var line in predicted) Label(canvas, line, Predicted, above: true);
        Cv2.ImWrite(Path.Combine(folder, frameName + ".png"), canvas);
    }

    private static void Draw(Mat canvas, LanePolyline line, Scalar colour, int width)
    {
        var points = Points(line);
        if (points.Length >= 2) Cv2.Polylines(canvas, [points], isClosed: false, colour, width, LineTypes.AntiAlias);
    }

    private static void Label(Mat canvas, LanePolyline line, Scalar colour, bool above)
    {
        var points = Points(line);
        if (points.Length == 0) return;
        // The lowest point (nearest the car) is where lines are apart; truth below it, prediction above.
        var anchor = points.MaxBy(p => p.Y);
        var at = new Point(Math.Clamp(anchor.X, 0, canvas.Width - 30), Math.Clamp(anchor.Y + (above ? -20 : 0), 20, canvas.Height - 4));
        Cv2.PutText(canvas, line.Slot.ToString(System.Globalization.CultureInfo.InvariantCulture), at, HersheyFonts.HersheySimplex, 0.8, colour, 2);
    }

    private static Point[] Points(LanePolyline line)
    {
        var points = new Point[line.Points.Length / 2];
        for (int i = 0; i < points.Length; i++) points[i] = new Point((int)MathF.Round(line.Points[2 * i]), (int)MathF.Round(line.Points[2 * i + 1]));
        return points;
    }
}
