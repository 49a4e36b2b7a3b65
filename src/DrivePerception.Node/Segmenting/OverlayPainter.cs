using DrivePerception.Core.Models;
using DrivePerception.Vision.Segmentation;
using OpenCvSharp;

namespace DrivePerception.Node.Segmenting;

/// <summary>
/// Draws a frame's segmentation for review: the class map in its card's colours blended at 40 %, each instance's outline
/// and box with "class score #track", and the lane polylines in slot colours. Owns its lookup table; one per thread.
/// </summary>
public sealed class OverlayPainter : IDisposable
{
    private const double ClassMapWeight = 0.4;
    private const int JpegQuality = 90;
    // Slot 1..4 in BGR: blue second-left, green ego-left, red ego-right, yellow second-right (as the synthetic previews).
    private static readonly Scalar[] SlotColours = [Scalar.White, new(255, 0, 0), new(0, 255, 0), new(0, 0, 255), new(0, 255, 255)];
    private static readonly Scalar VehicleColour = new(0, 165, 255);
    private static readonly Scalar PedestrianColour = new(255, 0, 255);
    private readonly Mat _lut = new(1, 256, MatType.CV_8UC3, Scalar.All(0));

    /// <summary>A painter for a class map of <paramref name="classes"/> (their card colours, RGB).</summary>
    public OverlayPainter(IReadOnlyList<ModelCardClass> classes)
    {
        foreach (var c in classes.Where(c => c.Id is >= 0 and < 256 && c.Color.Length == 3))
            _lut.Set(0, c.Id, new Vec3b((byte)c.Color[2], (byte)c.Color[1], (byte)c.Color[0]));
    }

    /// <summary>The overlay of <paramref name="image"/> (BGR, frame size; not changed) as JPEG bytes.</summary>
    public byte[] Paint(Mat image, FrameLabels labels, IReadOnlyList<LaneRecord> lanes)
    {
        using var canvas = image.Clone();
        using (var classes = Mat.FromPixelData(labels.Height, labels.Width, MatType.CV_8UC1, labels.ClassMap))
        using (var classes3 = new Mat())
        using (var colour = new Mat())
        {
            Cv2.CvtColor(classes, classes3, ColorConversionCodes.GRAY2BGR);
            Cv2.LUT(classes3, _lut, colour);
            Cv2.AddWeighted(image, 1 - ClassMapWeight, colour, ClassMapWeight, 0, canvas);
        }
        using (var ids = Mat.FromPixelData(labels.Height, labels.Width, MatType.CV_16UC1, labels.InstanceIds))
        using (var mask = new Mat())
        {
            foreach (var instance in labels.Instances)
            {
                var box = new Rect(instance.Box.X, instance.Box.Y, instance.Box.Width, instance.Box.Height);
                var colour = instance.ClassName is "pedestrian" or "bicyclist" ? PedestrianColour : VehicleColour;
                Cv2.InRange(ids, new Scalar(instance.Value), new Scalar(instance.Value), mask);
                Cv2.FindContours(mask, out var contours, out _, RetrievalModes.External, ContourApproximationModes.ApproxSimple);
                Cv2.DrawContours(canvas, contours, -1, colour, 1);
                Cv2.Rectangle(canvas, box, colour, 1);
                var label = instance.TrackId > 0 ? $"{instance.ClassName} {instance.Score:0.00} #{instance.TrackId}" : $"{instance.ClassName} {instance.Score:0.00}";
                var origin = new Point(box.X, Math.Max(10, box.Y - 3));
                Cv2.PutText(canvas, label, origin, HersheyFonts.HersheySimplex, 0.35, Scalar.Black, 2, LineTypes.AntiAlias);
                Cv2.PutText(canvas, label, origin, HersheyFonts.HersheySimplex, 0.35, colour, 1, LineTypes.AntiAlias);
            }
        }
        foreach (var lane in lanes)
        {
            var points = new List<Point>();
            for (int i = 0; i + 1 < lane.Polyline.Length; i += 2) points.Add(new Point((int)Math.Round(lane.Polyline[i]), (int)Math.Round(lane.Polyline[i + 1])));
            if (points.Count > 1) Cv2.Polylines(canvas, [points], isClosed: false, SlotColours[Math.Clamp(lane.Slot, 0, 4)], 2, LineTypes.AntiAlias);
        }
        Cv2.ImEncode(".jpg", canvas, out var jpeg, new ImageEncodingParam(ImwriteFlags.JpegQuality, JpegQuality));
        return jpeg;
    }

    /// <summary>Frees the lookup table.</summary>
    public void Dispose() => _lut.Dispose();
}
