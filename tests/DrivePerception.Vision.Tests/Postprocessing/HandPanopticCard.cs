using System.Text.Json;
using DrivePerception.Core.Models;

namespace DrivePerception.Vision.Tests.Postprocessing;

/// <summary>
/// The panoptic card the hand-made centre-offset tests decode with: CamVid's 11 classes, stride 4, things car,
/// pedestrian and bicyclist, and the instance fields a test gives (a null value leaves that field out of the card).
/// </summary>
internal static class HandPanopticCard
{
    public static ModelCard Build(int minPixels, int topK = 100, double centreThreshold = 0.1, params (string Field, object? Value)[] optional)
    {
        var block = new Dictionary<string, object?>
        {
            ["stride"] = 4, ["thing_classes"] = new[] { "car", "pedestrian", "bicyclist" },
            ["centre_threshold"] = centreThreshold, ["top_k"] = topK, ["min_pixels"] = minPixels,
        };
        foreach (var (field, value) in optional)
            if (value is not null) block[field] = value;
        return new ModelCard
        {
            Name = "hand-panoptic",
            Task = "panoptic",
            Decoder = "centre-offset",
            Classes = [.. new[] { "sky", "building", "pole", "road", "sidewalk", "tree", "sign", "fence", "car", "pedestrian", "bicyclist" }
                .Select((n, i) => new ModelCardClass { Id = i, Name = n })],
            Instance = JsonSerializer.SerializeToElement(block),
        };
    }
}
