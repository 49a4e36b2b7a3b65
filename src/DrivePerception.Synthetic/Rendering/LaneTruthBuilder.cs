using DrivePerception.Synthetic.World;
using DrivePerception.Vision.Calibration;
using OpenCvSharp;

namespace DrivePerception.Synthetic.Rendering;

/// <summary>
/// Lane ground truth from the road geometry that paints the markings: assigns the lines to CULane slots by
/// their side of the ego, samples each every metre along the road, projects the points through the
/// calibration and draws the slot mask CULane-style (wide lines through dash gaps and behind vehicles).
/// </summary>
internal static class LaneTruthBuilder
{
    /// <summary>Lines are sampled from this far behind the camera (to reach the image's bottom edge)...</summary>
    public const double FromM = -3;

    /// <summary>...to this far ahead, metres along the road.</summary>
    public const double ToM = 80;

    /// <summary>Sampling step along the road, metres.</summary>
    public const double StepM = 1;

    /// <summary>CULane draws 16 px wide lines at 1640 px image width; the mask keeps that width relative to the image.</summary>
    public static int MaskThickness(int imageWidth) => Math.Max(2, (int)Math.Round(16.0 * imageWidth / 1640));

    public static List<LaneLineTruth> Build(ViewFrame view, GroundPlaneProjection projection, Mat laneMap)
    {
        var size = laneMap.Size();
        var lines = new List<LaneLineTruth>();
        var markings = view.Script.Layout.Markings;
        var left = markings.Where(m => m.Offset > view.EgoL).OrderBy(m => m.Offset).ToList();
        var right = markings.Where(m => m.Offset <= view.EgoL).OrderByDescending(m => m.Offset).ToList();
        var slots = new List<(LaneSlot Slot, LaneMarking Marking)>();
        if (left.Count > 0) slots.Add((LaneSlot.EgoLeft, left[0]));
        if (left.Count > 1) slots.Add((LaneSlot.SecondLeft, left[1]));
        if (right.Count > 0) slots.Add((LaneSlot.EgoRight, right[0]));
        if (right.Count > 1) slots.Add((LaneSlot.SecondRight, right[1]));

        int thickness = MaskThickness(size.Width);
        foreach (var (slot, marking) in slots.OrderBy(x => x.Slot))
        {
            var drawn = new List<Point>();
            var pixels = new List<Point2d>();
            var ground = new List<Point2d>();
            for (double d = FromM; d <= ToM; d += StepM)
            {
                var p = view.RoadToVehicle(view.EgoS + d, marking.Offset, 0);
                var g = new Point2d(p.X, p.Y);
                if (p.X < 0.5 || !projection.TryGroundToPixel(g, out var px))
                    continue;
                drawn.Add(new Point((int)Math.Round(px.X * 8), (int)Math.Round(px.Y * 8)));
                if (px.X < 0 || px.Y < 0 || px.X > size.Width - 1 || px.Y > size.Height - 1)
                    continue;
                pixels.Add(px);
                ground.Add(g);
            }
            if (pixels.Count < 2)
                continue;
            Cv2.Polylines(laneMap, [drawn], false, new Scalar((int)slot), thickness, LineTypes.Link8, 3);
            lines.Add(new LaneLineTruth(slot, marking.Kind, pixels, ground));
        }
        return lines;
    }
}
