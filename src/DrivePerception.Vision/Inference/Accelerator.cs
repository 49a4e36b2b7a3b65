namespace DrivePerception.Vision.Inference;

/// <summary>Which ONNX Runtime execution provider runs a model. Parse from text with <see cref="AcceleratorNames"/>.</summary>
public enum Accelerator
{
    /// <summary>Try TensorRT, then CUDA, then CPU; log why each one that failed did.</summary>
    Auto,
    /// <summary>TensorRT (fp16, engine cache), with CUDA for the nodes TensorRT does not take. Fails at start if unavailable.</summary>
    TensorRT,
    /// <summary>CUDA. Fails at start if unavailable.</summary>
    Cuda,
    /// <summary>CPU only.</summary>
    Cpu,
}
