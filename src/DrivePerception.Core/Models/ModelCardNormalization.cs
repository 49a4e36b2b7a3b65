namespace DrivePerception.Core.Models;

/// <summary>Pixel normalisation: value = (pixel * scale - mean) / std per RGB channel.</summary>
public sealed class ModelCardNormalization
{
    /// <summary>"in_graph" (the node feeds raw uint8) or "host" (the node normalises into float32).</summary>
    public string Applied { get; set; } = "in_graph";
    /// <summary>Multiplier applied to the 0..255 pixel first.</summary>
    public float Scale { get; set; } = 1f / 255f;
    /// <summary>Per-channel mean, RGB order.</summary>
    public float[] Mean { get; set; } = [0.485f, 0.456f, 0.406f];
    /// <summary>Per-channel standard deviation, RGB order.</summary>
    public float[] Std { get; set; } = [0.229f, 0.224f, 0.225f];
}
