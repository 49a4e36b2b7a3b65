using DrivePerception.Core.Masks;
using DrivePerception.Core.Messages;
using OpenCvSharp;

namespace DrivePerception.Node.Preview;

/// <summary>
/// Draws a frame's outputs over its downscaled copy: lane masks tinted in their slot colour with the polyline on top,
/// vehicle and pedestrian masks tinted by kind with their boxes. Runs on the preview thread, never on the pipeline's.
/// </summary>
public static class PreviewDrawing
{
    // Slots 1..4: second-left, ego-left, ego-right, second-right (BGR).
    private static readonly Scalar[] SlotColours = [new(255, 160, 0), new(0, 220, 0), new(0, 220, 220), new(255, 0, 255)];
    private static readonly Scalar VehicleColour = new(40, 40, 230);
    private static readonly Scalar PedestrianColour = new(230, 120, 30);

    /// <summary>Draws onto <paramref name="image"/>, a copy of the frame scaled by <paramref name="scale"/> (preview px per frame px).</summary>
    public static void Draw(Mat image, double scale, LaneMessage? lanes, InstanceMessage? vehicles, InstanceMessage? pedestrians)
    {
        foreach (var lane in lanes is { Valid: true } ? lanes.Lanes : [])
        {
            if (!lane.Present) continue;
            var colour = SlotColours[Math.Clamp(lane.Slot - 1, 0, SlotColours.Length - 1)];
            Tint(image, lane.Mask, new PixelBox(0, 0, lane.Mask.Width, lane.Mask.Height), scale, colour);
            var points = new List<Point>();
            for (int i = 0; i + 1 < lane.PolylinePx.Length; i += 2)
                points.Add(new Point(lane.PolylinePx[i] * scale, lane.PolylinePx[i + 1] * scale));
            if (points.Count > 1) Cv2.Polylines(image, [points], false, colour, 2, LineTypes.AntiAlias);
        }
        foreach (var (message, colour) in new[] { (vehicles, VehicleColour), (pedestrians, PedestrianColour) })
        {
            foreach (var instance in message is { Valid: true } ? message.Instances : [])
            {
                Tint(image, instance.Mask, instance.Box, scale, colour);
                var b = instance.Box;
                Cv2.Rectangle(image, new Rect((int)(b.X * scale), (int)(b.Y * scale), Math.Max(1, (int)(b.Width * scale)), Math.Max(1, (int)(b.Height * scale))), colour, 1);
            }
        }
    }

    // Blends the colour into the pixels of the mask (placed at box, frame px), 45 % opaque.
    private static void Tint(Mat image, RleMask mask, PixelBox box, double scale, Scalar colour)
    {
        if (mask.Width <= 0 || mask.Height <= 0 || mask.Counts.Length == 0) return;
        var target = new Rect((int)(box.X * scale), (int)(box.Y * scale), (int)Math.Round(box.Width * scale), (int)Math.Round(box.Height * scale))
            .Intersect(new Rect(0, 0, image.Width, image.Height));
        if (target.Width <= 0 || target.Height <= 0) return;
        var pixels = mask.Decode();
        using var full = Mat.FromPixelData(mask.Height, mask.Width, MatType.CV_8UC1, pixels);
        using var scaled = new Mat();
        Cv2.Resize(full, scaled, new Size(Math.Max(1, (int)Math.Round(box.Width * scale)), Math.Max(1, (int)Math.Round(box.Height * scale))), 0, 0, InterpolationFlags.Nearest);
        using var region = new Mat(image, target);
        using var solid = new Mat(region.Size(), region.Type(), colour);
        using var blended = new Mat();
        Cv2.AddWeighted(region, 0.55, solid, 0.45, 0, blended);
        using var maskRegion = new Mat(scaled, new Rect(target.X - (int)(box.X * scale), target.Y - (int)(box.Y * scale), target.Width, target.Height)
            .Intersect(new Rect(0, 0, scaled.Width, scaled.Height)));
        if (maskRegion.Size() == region.Size()) blended.CopyTo(region, maskRegion);
    }
}
