using System.Globalization;
using DrivePerception.Core.Messages;
using DrivePerception.Recording.Foxglove;

namespace DrivePerception.Recording.Drives;

/// <summary>
/// Builds the <c>foxglove.ImageAnnotations</c> of one frame from its messages: each present lane as a polyline in
/// its slot's colour, each vehicle and pedestrian as a box with "class #track score". A message that is not valid
/// gets a red line of text with its reason instead, so a frame that was not computed never looks empty in Foxglove.
/// </summary>
public static class DriveOverlay
{
    /// <summary>Lane colours by slot 1..4 (second-left blue, ego-left green, ego-right red, second-right yellow: the CULane slot colours).</summary>
    public static readonly IReadOnlyList<FoxgloveColor> LaneColours =
    [
        FoxgloveColor.FromRgb(0, 0, 255), FoxgloveColor.FromRgb(0, 255, 0), FoxgloveColor.FromRgb(255, 0, 0), FoxgloveColor.FromRgb(255, 255, 0),
    ];

    /// <summary>Box colour of vehicles.</summary>
    public static readonly FoxgloveColor VehicleColour = FoxgloveColor.FromRgb(255, 140, 0);

    /// <summary>Box colour of pedestrians and bicyclists.</summary>
    public static readonly FoxgloveColor PedestrianColour = FoxgloveColor.FromRgb(255, 0, 255);

    private static readonly FoxgloveColor Label = FoxgloveColor.FromRgb(255, 255, 255);
    private static readonly FoxgloveColor LabelBackground = FoxgloveColor.FromRgb(0, 0, 0, 0.6);
    private static readonly FoxgloveColor Warning = FoxgloveColor.FromRgb(255, 64, 64);

    /// <summary>The annotations of the frame captured at <paramref name="timeNs"/> (the image's timestamp); any message may be null when missing.</summary>
    public static FoxgloveImageAnnotations Build(long timeNs, LaneMessage? lanes, InstanceMessage? vehicles, InstanceMessage? pedestrians)
    {
        var overlay = new FoxgloveImageAnnotations((ulong)Math.Max(0, timeNs));
        int warnings = 0;
        if (lanes is not null)
        {
            if (!lanes.Valid) Warn(overlay, ref warnings, $"lanes not valid: {lanes.Reason}");
            else
                foreach (var lane in lanes.Lanes.Where(l => l.Present && l.PolylinePx.Length >= 4))
                    overlay.AddPolyline(Points(lane.PolylinePx), LaneColours[Math.Clamp(lane.Slot, 1, 4) - 1], thickness: 3);
        }
        AddInstances(overlay, vehicles, VehicleColour, ref warnings);
        AddInstances(overlay, pedestrians, PedestrianColour, ref warnings);
        return overlay;
    }

    private static void AddInstances(FoxgloveImageAnnotations overlay, InstanceMessage? message, FoxgloveColor colour, ref int warnings)
    {
        if (message is null) return;
        if (!message.Valid)
        {
            Warn(overlay, ref warnings, $"{message.Kind} not valid: {message.Reason}");
            return;
        }
        foreach (var instance in message.Instances)
        {
            var b = instance.Box;
            overlay.AddBox(b.X, b.Y, b.Width, b.Height, colour);
            var text = $"{instance.ClassName} #{instance.TrackId} {instance.Score.ToString("0.00", CultureInfo.InvariantCulture)}";
            overlay.AddText(new FoxglovePoint2(b.X, Math.Max(0, b.Y - 16)), text, Label, fontSize: 12, background: LabelBackground);
        }
    }

    private static void Warn(FoxgloveImageAnnotations overlay, ref int warnings, string text) =>
        overlay.AddText(new FoxglovePoint2(8, 8 + 18 * warnings++), text, Warning, fontSize: 14, background: LabelBackground);

    private static IEnumerable<FoxglovePoint2> Points(float[] flat)
    {
        for (int i = 0; i + 1 < flat.Length; i += 2) yield return new FoxglovePoint2(flat[i], flat[i + 1]);
    }
}
