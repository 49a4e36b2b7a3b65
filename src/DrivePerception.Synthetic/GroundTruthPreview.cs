using OpenCvSharp;

namespace DrivePerception.Synthetic;

/// <summary>
/// A picture for people: the frame, its class map in CamVid colours with instance boxes, and its lane slots
/// over a dimmed copy of the frame, side by side.
/// </summary>
public static class GroundTruthPreview
{
    /// <summary>BGR colours of lane slots 1..4 (second-left blue, ego-left green, ego-right red, second-right yellow).</summary>
    public static IReadOnlyList<Scalar> SlotColours { get; } =
        [new(0, 0, 0), new(255, 120, 0), new(0, 220, 0), new(0, 0, 255), new(0, 230, 255)];

    /// <summary>Composes the three panels, three image widths wide. The caller owns the returned Mat.</summary>
    public static Mat Compose(SyntheticFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var size = frame.Image.Size();
        var result = new Mat(size.Height, size.Width * 3, MatType.CV_8UC3, Scalar.All(0));
        using (var left = new Mat(result, new Rect(0, 0, size.Width, size.Height)))
            frame.Image.CopyTo(left);

        using (var classes = CamVidPalette.Colourise(frame.Truth.ClassMap))
        {
            foreach (var instance in frame.Truth.Instances)
                Cv2.Rectangle(classes, instance.Box, Scalar.All(255), 1);
            using var middle = new Mat(result, new Rect(size.Width, 0, size.Width, size.Height));
            classes.CopyTo(middle);
        }

        using var right = new Mat(result, new Rect(size.Width * 2, 0, size.Width, size.Height));
        frame.Image.ConvertTo(right, MatType.CV_8UC3, 0.35);
        for (int slot = 1; slot < SlotColours.Count; slot++)
        {
            using var mask = new Mat();
            Cv2.Compare(frame.Truth.LaneMap, new Scalar(slot), mask, CmpTypes.EQ);
            right.SetTo(SlotColours[slot], mask);
        }
        return result;
    }
}
