namespace DrivePerception.Vision.Inference;

/// <summary>Where a model's input and outputs are bound when a GPU provider runs it (ignored on the CPU).</summary>
public enum GpuIoMode
{
    /// <summary>
    /// Pinned managed host buffers bound as CPU memory: ONNX Runtime copies the input to the GPU and the outputs back
    /// inside each run (pageable-memory copies, staged by the driver). Works wherever the provider works.
    /// </summary>
    Host,

    /// <summary>
    /// Buffers on the GPU bound once at fixed addresses, filled from and read back into page-locked host buffers by
    /// the node's own CUDA copies. Needed for CUDA graphs. Checked against a host-bound run at load; any failure logs
    /// once and falls back to <see cref="Host"/>.
    /// </summary>
    Device,
}
