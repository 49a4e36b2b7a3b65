using System.Text.Json;
using System.Text.Json.Serialization;

namespace DrivePerception.Node.Segmenting;

/// <summary>
/// What `segment` keeps of one frame in DIR/frames/NAME.json: everything the COCO file and the counts table need, so
/// a resumed run rebuilds both without running the models again. Written last for a frame, so its presence says the
/// frame's outputs are complete (docs/SEGMENT.md).
/// </summary>
public sealed class FrameRecord
{
    /// <summary>JSON settings of the record (and of the COCO file): snake_case names as declared, no indentation.</summary>
    public static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>The frame's output name (file names under DIR).</summary>
    [JsonPropertyName("name")] public string Name { get; set; } = "";

    /// <summary>The input image's path, or VIDEO#INDEX for a frame of a video or drive.</summary>
    [JsonPropertyName("file_name")] public string FileName { get; set; } = "";

    /// <summary>The input file.</summary>
    [JsonPropertyName("source")] public string Source { get; set; } = "";

    /// <summary>The frame's index in its video or drive (0 for an image).</summary>
    [JsonPropertyName("frame_index")] public long FrameIndex { get; set; }

    /// <summary>Frame width in pixels.</summary>
    [JsonPropertyName("width")] public int Width { get; set; }

    /// <summary>Frame height in pixels.</summary>
    [JsonPropertyName("height")] public int Height { get; set; }

    /// <summary>True for frames of a video or drive: instances carry track ids.</summary>
    [JsonPropertyName("tracked")] public bool Tracked { get; set; }

    /// <summary>The instances, in instance-PNG value order.</summary>
    [JsonPropertyName("instances")] public List<InstanceRecord> Instances { get; set; } = [];

    /// <summary>The lane lines found (present ones only); empty without a lane model.</summary>
    [JsonPropertyName("lanes")] public List<LaneRecord> Lanes { get; set; } = [];

    /// <summary>Pixels per semantic class name in the class map (classes with no pixel left out).</summary>
    [JsonPropertyName("class_pixels")] public Dictionary<string, long> ClassPixels { get; set; } = [];

    /// <summary>Reads a record; null when the file is missing or not a whole record (a frame to redo).</summary>
    public static FrameRecord? TryRead(string path)
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<FrameRecord>(File.ReadAllBytes(path), Json) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
