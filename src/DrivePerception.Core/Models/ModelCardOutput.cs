using System.Text.Json;

namespace DrivePerception.Core.Models;

/// <summary>One output tensor as the card describes it.</summary>
public sealed class ModelCardOutput
{
    /// <summary>Tensor name in the graph.</summary>
    public string Name { get; set; } = "";
    /// <summary>Element type: uint8, float32, int64.</summary>
    public string Dtype { get; set; } = "";
    /// <summary>Shape; symbolic dimensions are strings such as "N".</summary>
    public List<JsonElement> Shape { get; set; } = [];
    /// <summary>What the values mean.</summary>
    public string Meaning { get; set; } = "";
}
