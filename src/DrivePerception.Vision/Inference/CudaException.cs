namespace DrivePerception.Vision.Inference;

/// <summary>
/// A CUDA runtime call failed, or the CUDA runtime library could not be loaded. Thrown by <see cref="CudaRuntime"/>;
/// the device I/O path of <see cref="ModelSession"/> catches it at load and falls back to host-bound buffers.
/// </summary>
public sealed class CudaException(string message) : Exception(message);
