using System.Text.Json;
using DrivePerception.Vision.Perception;

namespace DrivePerception.Node.Segmenting;

/// <summary>
/// The --coco file: one COCO instances document (categories, images, annotations) built from the frames' records.
/// Segmentations are COCO compressed RLE exactly as pycocotools writes them (<see cref="Vision.Segmentation.CocoRle"/>);
/// docs/SEGMENT.md lists the fields, including the extensions (score, track_id, instance_value, lanes).
/// </summary>
public static class CocoDocument
{
    /// <summary>The categories, ids from 1: the instance classes the node publishes, vehicles first.</summary>
    public static IReadOnlyList<string> Categories { get; } =
        [.. PerceptionStack.VehicleClasses.Union(PerceptionStack.VehicleInstanceClasses).Union(PerceptionStack.PedestrianClasses)];

    /// <summary>The document's UTF-8 JSON for <paramref name="frames"/>, image ids 1.. in their order.</summary>
    public static byte[] Build(IReadOnlyList<FrameRecord> frames, string description)
    {
        var categories = Categories.Select((name, i) => new Dictionary<string, object>
        {
            ["id"] = i + 1,
            ["name"] = name,
            ["supercategory"] = PerceptionStack.PedestrianClasses.Contains(name) ? "person" : "vehicle",
        }).ToList();
        var images = new List<Dictionary<string, object>>();
        var annotations = new List<Dictionary<string, object>>();
        for (int i = 0; i < frames.Count; i++)
        {
            var frame = frames[i];
            int imageId = i + 1;
            var image = new Dictionary<string, object>
            {
                ["id"] = imageId,
                ["file_name"] = frame.FileName,
                ["width"] = frame.Width,
                ["height"] = frame.Height,
                ["frame_name"] = frame.Name,
                ["frame_index"] = frame.FrameIndex,
            };
            if (frame.Lanes.Count > 0) image["lanes"] = frame.Lanes;
            images.Add(image);
            foreach (var instance in frame.Instances)
            {
                var annotation = new Dictionary<string, object>
                {
                    ["id"] = annotations.Count + 1,
                    ["image_id"] = imageId,
                    ["category_id"] = CategoryId(instance.ClassName),
                    ["segmentation"] = new Dictionary<string, object> { ["size"] = new[] { frame.Height, frame.Width }, ["counts"] = instance.Counts },
                    ["area"] = instance.Area,
                    ["bbox"] = instance.Box,
                    ["iscrowd"] = 0,
                    ["score"] = instance.Score,
                    ["instance_value"] = instance.Value,
                };
                if (instance.TrackId is { } track) annotation["track_id"] = track;
                annotations.Add(annotation);
            }
        }
        var document = new Dictionary<string, object>
        {
            ["info"] = new Dictionary<string, object> { ["description"] = description, ["date_created"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ") },
            ["categories"] = categories,
            ["images"] = images,
            ["annotations"] = annotations,
        };
        return JsonSerializer.SerializeToUtf8Bytes(document, FrameRecord.Json);
    }

    /// <summary>The category id of a class name (1-based).</summary>
    /// <exception cref="ArgumentException">Not an instance class the node publishes.</exception>
    public static int CategoryId(string className)
    {
        int index = Categories.ToList().IndexOf(className);
        return index >= 0 ? index + 1 : throw new ArgumentException($"'{className}' is not an instance class the node publishes ({string.Join(", ", Categories)}).");
    }
}
