namespace DrivePerception.Core.Models;

/// <summary>The model's input tensor as its card describes it.</summary>
public sealed class ModelCardInput
{
    /// <summary>Tensor name in the graph.</summary>
    public string Name { get; set; } = "image";
    /// <summary>uint8 or float32.</summary>
    public string Dtype { get; set; } = "uint8";
    /// <summary>NHWC or NCHW.</summary>
    public string Layout { get; set; } = "NHWC";
    /// <summary>BGR or RGB.</summary>
    public string ChannelOrder { get; set; } = "BGR";
    /// <summary>Input height in pixels.</summary>
    public int Height { get; set; }
    /// <summary>Input width in pixels.</summary>
    public int Width { get; set; }
    /// <summary>Whether the batch dimension is dynamic.</summary>
    public bool DynamicBatch { get; set; }
    /// <summary>How pixels are normalised.</summary>
    public ModelCardNormalization Normalization { get; set; } = new();
}
