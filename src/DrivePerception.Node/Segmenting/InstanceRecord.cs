using System.Text.Json.Serialization;

namespace DrivePerception.Node.Segmenting;

/// <summary>One instance of a <see cref="FrameRecord"/>.</summary>
public sealed class InstanceRecord
{
    /// <summary>Its pixel value in the instance PNG.</summary>
    [JsonPropertyName("value")] public int Value { get; set; }

    /// <summary>Class name (car, vehicle, pedestrian, bicyclist).</summary>
    [JsonPropertyName("class")] public string ClassName { get; set; } = "";

    /// <summary>Detection score 0..1.</summary>
    [JsonPropertyName("score")] public float Score { get; set; }

    /// <summary>Track id within its video or drive; null for images.</summary>
    [JsonPropertyName("track_id")] public long? TrackId { get; set; }

    /// <summary>Tight box of its pixels: x, y, width, height.</summary>
    [JsonPropertyName("bbox")] public int[] Box { get; set; } = [];

    /// <summary>Its pixel count.</summary>
    [JsonPropertyName("area")] public int Area { get; set; }

    /// <summary>Its pixels as a COCO compressed RLE counts string (column-major).</summary>
    [JsonPropertyName("counts")] public string Counts { get; set; } = "";
}
