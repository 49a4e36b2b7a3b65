using System.Text.Json.Serialization;

namespace DrivePerception.Node.Segmenting;

/// <summary>One lane line of a <see cref="FrameRecord"/>.</summary>
public sealed class LaneRecord
{
    /// <summary>Slot 1..4: second left, ego left, ego right, second right.</summary>
    [JsonPropertyName("slot")] public int Slot { get; set; }

    /// <summary>Slot name (second_left, ego_left, ego_right, second_right).</summary>
    [JsonPropertyName("name")] public string Name { get; set; } = "";

    /// <summary>Lane confidence 0..1.</summary>
    [JsonPropertyName("confidence")] public float Confidence { get; set; }

    /// <summary>Polyline in frame pixels: x0, y0, x1, y1, ...</summary>
    [JsonPropertyName("polyline")] public float[] Polyline { get; set; } = [];
}
