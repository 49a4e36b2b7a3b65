using MessagePack;

namespace DrivePerception.Core.Messages;

/// <summary>A loaded model as reported in status.</summary>
[MessagePackObject]
public sealed class ModelStatus
{
    /// <summary>Model name from its card.</summary>
    [Key("name"), WireField("", "model name from its card")]
    public string Name { get; set; } = "";

    /// <summary>semantic | lanes | instance.</summary>
    [Key("task"), WireField("", "semantic | lanes | instance")]
    public string Task { get; set; } = "";

    /// <summary>Execution provider that runs it: tensorrt, cuda or cpu.</summary>
    [Key("accelerator"), WireField("", "tensorrt | cuda | cpu: the provider that actually took")]
    public string Accelerator { get; set; } = "";

    /// <summary>Weights precision.</summary>
    [Key("precision"), WireField("", "fp32 | fp16")]
    public string Precision { get; set; } = "";
}
