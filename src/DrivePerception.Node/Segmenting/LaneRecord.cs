using System.Text.Json.Serialization;

namespace DrivePerception.Node.Segmenting;

/// <summary>One lane line of a <see cref="FrameRecord"/> (and of the COCO file's lanes extension).</summary>
/// <param name="Slot">Slot 1..4: second left, ego left, ego right, second right.</param>
/// <param name="Name">Slot name (second_left, ego_left, ego_right, second_right).</param>
/// <param name="Confidence">Lane confidence 0..1.</param>
/// <param name="Polyline">Polyline in frame pixels: x0, y0, x1, y1, ...</param>
public sealed record LaneRecord(
    [property: JsonPropertyName("slot")] int Slot,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("confidence")] float Confidence,
    [property: JsonPropertyName("polyline")] float[] Polyline);
